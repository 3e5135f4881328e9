import type { HttpReason } from './fetch-contract.js';
import type { Rejection } from './fetch-ledger.js';
import type { HttpLeg } from './http-leg.js';
import type { Peer } from './peer.js';
import type { PeerWait } from './peer-wait.js';
import type { Plan } from './policy.js';

/**
 * Where a segment fetch stands (ARCHITECTURE.md draws the chart). Each phase holds what it runs,
 * and leaving it stops that: the wait's listener and timer, the peer transfers, the HTTP requests.
 */
export type Phase =
  | { readonly kind: 'created' }
  | { readonly kind: 'waiting'; readonly wait: PeerWait }
  | { readonly kind: 'peers' }
  | { readonly kind: 'http'; readonly leg: HttpLeg }
  | { readonly kind: 'verifying' }
  | { readonly kind: 'done' };

/** What happened, or what to do next: the only input that moves a fetch on. */
export type Step =
  | { readonly kind: 'start'; readonly plan: Plan; readonly replan: (() => Plan) | undefined }
  /** Bring in peers: the wait is over (plan: the decision made afresh), or the size is now known. */
  | { readonly kind: 'ask-peers'; readonly plan?: Plan }
  /** A peer delivered its piece: it takes the next one nobody is fetching. */
  | { readonly kind: 'next-piece'; readonly peer: Peer }
  /** A peer dropped out: others take over while there is time for them, else HTTP. */
  | { readonly kind: 'peer-failed' }
  | { readonly kind: 'fall-back'; readonly reason: HttpReason }
  /** The peer bytes in hand are thrown away; the whole segment comes over HTTP. */
  | { readonly kind: 'reject'; readonly rejection: Rejection }
  /** Every byte is in. */
  | { readonly kind: 'assembled' }
  | { readonly kind: 'verified' }
  | { readonly kind: 'fail'; readonly error: Error }
  | { readonly kind: 'abort' };

/** The steps each phase takes. Any other was overtaken by an earlier one, and is ignored. */
export const TAKES: Readonly<Record<Phase['kind'], readonly Step['kind'][]>> = {
  created: ['start', 'abort'],
  waiting: ['ask-peers', 'fall-back', 'abort'],
  peers: ['ask-peers', 'next-piece', 'peer-failed', 'fall-back', 'reject', 'assembled', 'abort'],
  http: ['reject', 'assembled', 'fail', 'abort'],
  verifying: ['reject', 'verified', 'abort'],
  done: [],
};
