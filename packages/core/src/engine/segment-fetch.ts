import { HttpError, type TimerHandle } from '../io/interfaces.js';
import type { FetchCallbacks, FetchDeps, HttpReason, SegmentRequest } from './fetch-contract.js';
import { FetchLedger } from './fetch-ledger.js';
import { TAKES, type Phase, type Step } from './fetch-phases.js';
import { FetchTiming } from './fetch-timing.js';
import { HttpLeg } from './http-leg.js';
import { PeerDownloads } from './peer-downloads.js';
import { PeerWait } from './peer-wait.js';
import type { Plan } from './policy.js';
import { SegmentBytes } from './segment-bytes.js';

/**
 * Brings one segment in: waits for peers or pulls it from them (in pieces, from several at once)
 * as the plan says, and fetches over HTTP (Range requests for only the missing bytes) whatever
 * peers did not deliver in time; peer bytes are verified before anyone sees them.
 *
 * A state machine (fetch-phases.ts): everything that happens becomes a Step, and `step` is the
 * only place the phase changes.
 */
export class SegmentFetch {
  private phase: Phase = { kind: 'created' };
  /** Steps that arrived while another was being taken: taken after it, in order, never nested. */
  private readonly queue: Step[] = [];
  private stepping = false;
  private readonly timing: FetchTiming;
  private readonly bytes = new SegmentBytes();
  private readonly ledger: FetchLedger;
  private readonly downloads: PeerDownloads;
  /** HTTP bytes counted as they arrived, over every leg (abandoned ones included). */
  private httpCounted = 0;
  private httpReason: HttpReason | undefined;
  /** When peers must have delivered (the deadline timer then falls back to HTTP). */
  private giveUpAt = 0;
  private deadline: TimerHandle | undefined;

  constructor(
    private readonly deps: FetchDeps,
    readonly request: SegmentRequest,
    private readonly callbacks: FetchCallbacks,
  ) {
    this.timing = new FetchTiming(deps.clock);
    this.ledger = new FetchLedger(request.id, deps);
    const limits = { clock: deps.clock, peerStallMs: deps.peerStallMs, giveUpAt: () => this.giveUpAt };
    const host = { step: (step: Step) => this.step(step), onProgress: callbacks.onProgress };
    this.downloads = new PeerDownloads(deps, request, this.bytes, this.ledger, this.timing, limits, host);
  }

  /** replan: the decision made afresh, to stop a wait whose reason went away. */
  start(plan: Plan, replan?: () => Plan): void {
    this.step({ kind: 'start', plan, replan });
  }

  /** Stops the fetch; returns the bytes it had brought in (counted already), now abandoned. */
  abort(): number {
    if (this.phase.kind === 'done') return 0;
    this.step({ kind: 'abort' });
    return this.bytes.p2pBytes + this.httpCounted;
  }

  /**
   * The one way the fetch moves on. A step that comes while another is being taken (a transfer
   * that fails as it is started, a ban that closes a peer) waits until that one is over: no
   * handler ever re-enters another.
   */
  private step(step: Step): void {
    this.queue.push(step);
    if (this.stepping) return;
    this.stepping = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        if (TAKES[this.phase.kind].includes(next.kind)) this.take(next);
      }
    } finally {
      this.stepping = false;
      this.queue.length = 0; // a callback threw: what was queued behind it is moot
    }
  }

  private take(step: Step): void {
    switch (step.kind) {
      case 'start':
        return this.begin(step.plan, step.replan);
      case 'ask-peers':
        return this.askPeers(step.plan);
      case 'next-piece':
        if (!this.downloads.next(step.peer) && this.downloads.active === 0) this.toHttp('peer-failed');
        return;
      case 'peer-failed':
        if (this.deps.clock.now() < this.giveUpAt - this.deps.peerStallMs) return this.askPeers();
        return this.toHttp('peer-failed');
      case 'fall-back':
        return this.toHttp(step.reason);
      case 'reject':
        this.ledger.reject(step.rejection, () => this.bytes.whole(), this.bytes.p2pBytes);
        this.bytes.clear();
        return this.toHttp('rejected');
      case 'assembled':
        return this.assembled();
      case 'verified':
        return this.deliver();
      case 'fail':
        this.ledger.closeUnsettled();
        this.enter({ kind: 'done' });
        return this.callbacks.onError(step.error);
      case 'abort':
        return this.enter({ kind: 'done' });
    }
  }

  /** Leaves the current phase, stopping what it ran, for the next. */
  private enter(next: Phase): void {
    const from = this.phase;
    if (from.kind === 'waiting') from.wait.stop();
    if (from.kind === 'peers') this.downloads.cancelAll();
    if (from.kind === 'http') from.leg.stop();
    if (next.kind !== 'waiting' && next.kind !== 'peers') this.clearDeadline();
    this.phase = next;
  }

  private begin(plan: Plan, replan: (() => Plan) | undefined): void {
    if (plan.kind === 'http') return this.toHttp('plan');
    this.setDeadline(this.timing.requestedAt + plan.giveUpMs);
    if (plan.kind === 'p2p') return this.askPeers();
    const peerArrived = () => this.step({ kind: 'ask-peers', ...(replan ? { plan: replan() } : {}) });
    const recheck = replan
      ? () => {
          const again = replan();
          if (again.kind === 'http') this.step({ kind: 'fall-back', reason: 'replan' });
          else if (again.kind === 'p2p') this.step({ kind: 'ask-peers', plan: again });
        }
      : undefined;
    this.enter({ kind: 'waiting', wait: new PeerWait(this.deps.clock, this.deps.pool, this.request.id, peerArrived, recheck) });
  }

  private askPeers(plan?: Plan): void {
    if (this.phase.kind !== 'peers') {
      // Ending a wait (plan: decided afresh), a peer that holds the segment turned up: from here
      // on a download like any other, with the time a download decided now would get (a wait's
      // deadline was set for peers that might never come, and is often nearly spent by then).
      if (plan?.kind === 'p2p') this.setDeadline(Math.max(this.giveUpAt, this.deps.clock.now() + plan.giveUpMs));
      this.enter({ kind: 'peers' });
    }
    this.downloads.fill();
    if (this.downloads.active === 0 && !this.bytes.pieces?.complete) this.toHttp(this.downloads.anyFailed ? 'peer-failed' : 'no-peer');
  }

  /** Fetches what is missing over HTTP: everything, or one Range request per missing span. */
  private toHttp(reason: HttpReason): void {
    this.httpReason = reason; // a reject starts over: its reason replaces the first one
    this.timing.transferStarted();
    const leg = new HttpLeg(this.deps, this.request, this.bytes, {
      counted: (bytes) => {
        this.httpCounted += bytes;
        this.deps.countBytes('http', bytes);
      },
      progress: (loaded, total) => {
        this.timing.firstByte();
        this.callbacks.onProgress(this.bytes.received + loaded, this.bytes.size ?? total);
      },
    });
    this.enter({ kind: 'http', leg });
    // A leg that was stopped (a reject started another, or the fetch ended) reports nothing.
    const current = () => this.phase.kind === 'http' && this.phase.leg === leg;
    leg
      .run()
      .then(() => current() && this.step({ kind: 'assembled' }))
      .catch((error: unknown) => current() && this.step(this.httpFailed(error)));
  }

  /** Completing what peers sent failed (e.g. a peer claimed a wrong size): once, the whole segment over HTTP. */
  private httpFailed(error: unknown): Step {
    if (this.bytes.p2pBytes > 0 && !(error instanceof HttpError && error.aborted)) {
      const detail = `completing the peer bytes over HTTP failed: ${messageOf(error)}`;
      return { kind: 'reject', rejection: { blame: false, code: 'completion-failed', detail } };
    }
    return { kind: 'fail', error: error instanceof Error ? error : new Error(String(error)) };
  }

  private assembled(): void {
    const whole = this.bytes.whole();
    if (!whole) return;
    // Nothing from peers in it: the origin's copy, which settles what peers claimed before.
    if (this.bytes.p2pBytes === 0) this.ledger.settle(whole);
    const verifier = this.deps.verifier;
    if (this.bytes.p2pBytes === 0 || !verifier) return this.deliver();
    this.enter({ kind: 'verifying' });
    verifier
      .verify(this.request, whole)
      .then((verdict) => {
        if (verdict === 'mismatch') return this.step({ kind: 'reject', rejection: { blame: true } });
        if (verdict === 'ok') return this.step({ kind: 'verified' });
        const detail = 'the hash manifest does not list it (yet)';
        this.step({ kind: 'reject', rejection: { blame: false, code: 'unverifiable', detail } });
      })
      .catch((error: unknown) => {
        const detail = `verification failed: ${messageOf(error)}`;
        this.step({ kind: 'reject', rejection: { blame: false, code: 'verification-error', detail } });
      });
  }

  private deliver(): void {
    const bytes = this.bytes.whole()!;
    const { httpBytes, p2pBytes } = this.bytes;
    const source = httpBytes === 0 ? 'p2p' : p2pBytes === 0 ? 'http' : 'mixed';
    const httpReason = httpBytes > 0 ? this.httpReason : undefined;
    const result = { bytes, source, httpBytes, p2pBytes, ...(httpReason ? { httpReason } : {}), ...this.timing.ended() } as const;
    this.enter({ kind: 'done' });
    this.callbacks.onSuccess(result);
  }

  private setDeadline(giveUpAt: number): void {
    this.clearDeadline();
    this.giveUpAt = giveUpAt;
    const ms = Math.max(0, giveUpAt - this.deps.clock.now());
    this.deadline = this.deps.clock.setTimeout(() => this.step({ kind: 'fall-back', reason: 'deadline' }), ms);
  }

  private clearDeadline(): void {
    if (this.deadline !== undefined) this.deps.clock.clearTimeout(this.deadline);
    this.deadline = undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
