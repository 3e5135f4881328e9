/**
 * Why a segment came from where it came from, in words, from what the engine says with each
 * `segment-loaded` event: its plan, what the plan rested on (buffer ahead, the HTTP estimate, who
 * had the segment) and, when bytes came over HTTP, the engine's reason. Pure, for the segment log.
 */
import { formatMs } from './format.js';

/** The fields of a `segment-loaded` event this needs (so it can be unit-tested on plain objects). */
export interface SegmentWhyInput {
  readonly source: 'http' | 'p2p' | 'mixed' | 'cache';
  readonly plan: 'http' | 'p2p' | 'wait';
  readonly httpReason?: 'plan' | 'deadline' | 'replan' | 'no-peer' | 'peer-failed' | 'rejected';
  readonly basis: {
    readonly timeToNeedMs: number;
    readonly httpEstimateMs: number;
    readonly peerHasIt: boolean;
    readonly othersFetchFirst: boolean;
    readonly peersConnecting: boolean;
  };
  readonly ms: number;
  readonly waitMs: number;
  readonly heldMs: number;
}

const HTTP_REASON: Record<NonNullable<SegmentWhyInput['httpReason']>, string> = {
  plan: 'planned for HTTP',
  deadline: 'peers ran out of time, the rest came over HTTP',
  replan: 'the reason to wait went away, fetched over HTTP',
  'no-peer': 'no connected peer held it',
  'peer-failed': 'the peers serving it failed',
  rejected: 'peer bytes were rejected',
};

/** Why the engine planned what it planned. */
function planWhy(e: SegmentWhyInput): string {
  const b = e.basis;
  const room = `${formatMs(b.timeToNeedMs)} of buffer, HTTP ~${formatMs(b.httpEstimateMs)}`;
  if (e.plan === 'p2p') return `a peer had it (${room})`;
  if (e.plan === 'wait') {
    const who = b.othersFetchFirst ? 'another viewer fetches new live segments first' : 'peers were still connecting';
    return `waited: ${who} (${room})`;
  }
  if (!b.peerHasIt && !b.othersFetchFirst && !b.peersConnecting) return `no peer had it (${room})`;
  return `too little buffer to try peers (${room})`;
}

/** One line: the plan and its grounds, what happened, and where the time went. */
export function explainSegment(e: SegmentWhyInput): string {
  if (e.source === 'cache') return 'already held by this tab (served from its own store)';
  const parts = [planWhy(e)];
  if (e.httpReason !== undefined && e.httpReason !== 'plan') parts.push(HTTP_REASON[e.httpReason]);
  const time: string[] = [];
  if (e.heldMs > 0) time.push(`held ${formatMs(e.heldMs)} for prefetch pacing`);
  if (e.waitMs >= 50) time.push(`${formatMs(e.waitMs)} before bytes flowed`);
  if (time.length > 0) parts.push(time.join(', '));
  return parts.join(' · ');
}
