import { RejectReason, type SegmentId } from '../protocol/index.js';
import type { Clock, TimerHandle } from '../io/interfaces.js';
import type { PeerFailure } from './fetch-contract.js';
import type { Peer } from './peer.js';

/** How often a running transfer's pace is judged, besides at every chunk. */
export const PACE_CHECK_MS = 250;
/**
 * A transfer is judged by its pace only after this long: a rate measured over less than this is
 * mostly the round trip. Silence before that is the stall timer's business.
 */
export const PACE_GRACE_MS = 500;

export interface TransferHandlers {
  onResponse(totalSize: number): void;
  /** Bytes that continue the transfer; returns false when they do not fit where they claim to go. */
  onChunk(offset: number, bytes: Uint8Array): boolean;
  onDone(bytes: number, ms: number): void;
  onFail(failure: PeerFailure, detail: string): void;
}

export interface TransferLimits {
  readonly clock: Clock;
  /** Ms without a byte after which the peer is given up on. */
  readonly peerStallMs: number;
  /** When the bytes must be in (after this, the rest comes over HTTP anyway). */
  giveUpAt(): number;
}

/**
 * One request to one peer, watched: a peer that never answers, goes silent, or delivers at a
 * pace that cannot finish before the deadline is cut off early, and the failure says which.
 */
export class PeerTransfer {
  private bytes = 0;
  private answered = false;
  private done = false;
  private readonly startedAt: number;
  private stallTimer: TimerHandle | undefined;
  private paceTimer: TimerHandle | undefined;
  private cancelDownload: () => void = () => {};

  constructor(
    readonly peer: Peer,
    private readonly limits: TransferLimits,
    id: SegmentId,
    offset: number,
    private length: number,
    private readonly handlers: TransferHandlers,
  ) {
    this.startedAt = limits.clock.now();
    this.armStall();
    this.armPace();
    this.cancelDownload = peer.download(id, offset, length, {
      onResponse: (totalSize) => {
        this.answered = true;
        this.length = length === 0 ? totalSize - offset : Math.min(length, totalSize - offset);
        this.handlers.onResponse(totalSize);
      },
      onChunk: (at, chunk) => {
        if (this.done) return;
        if (!this.handlers.onChunk(at, chunk)) return this.fail('out-of-place', 'sent bytes out of place');
        this.bytes += chunk.length;
        this.armStall();
        this.judgePace();
      },
      onDone: () => {
        if (this.done) return;
        this.end();
        this.handlers.onDone(this.bytes, limits.clock.now() - this.startedAt);
      },
      onFail: (reason, rejected) => this.fail(classifyFailure(rejected), reason),
    });
  }

  /** Over: delivered, failed or cancelled. */
  get ended(): boolean {
    return this.done;
  }

  /** Stops the transfer (tells the peer); no handler runs after this. */
  cancel(): void {
    if (this.done) return;
    this.end();
    this.cancelDownload();
  }

  private fail(failure: PeerFailure, detail: string): void {
    if (this.done) return;
    this.cancel();
    // A peer that fell behind its pace is measured by that pace from now on: it is not asked
    // again while it could not bring a piece in time (until the verdict is old enough to retry,
    // peer-pace.ts). Other cut transfers still count.
    const now = this.limits.clock.now();
    const ms = now - this.startedAt;
    if (failure === 'too-slow') this.peer.throughput.tooSlow(this.bytes, ms, now);
    else this.peer.throughput.sample(this.bytes, ms, now);
    this.handlers.onFail(failure, detail);
  }

  /**
   * Projects the finish from the bytes delivered so far. The deadline already keeps the time
   * the whole segment takes over HTTP in reserve, so a transfer projected past it would be
   * cut then anyway: cutting it now leaves the missing bytes that much more time.
   */
  private judgePace(): void {
    const now = this.limits.clock.now();
    const elapsed = now - this.startedAt;
    if (!this.answered || this.bytes === 0 || elapsed < PACE_GRACE_MS) return;
    const remaining = this.length - this.bytes;
    const projectedEnd = now + (remaining * elapsed) / this.bytes;
    if (projectedEnd > this.limits.giveUpAt()) {
      const rate = Math.round((this.bytes * 1000) / elapsed);
      this.fail('too-slow', `${rate} B/s, ${remaining} bytes still to come could not arrive in time`);
    }
  }

  private armStall(): void {
    this.clear(this.stallTimer);
    this.stallTimer = this.limits.clock.setTimeout(() => {
      // Silence is a stall, not a lie: a busy device answers late (12 pages on 2 cores: honest
      // peers whose main thread was blocked over peerStallMs were banned for the session as
      // false claims, 10 in 80 s of vod-12). A new peer's first request still costs it its place
      // (the pool's probation); a proven one is out after maxPeerFailures.
      if (this.answered) this.fail('stalled', `silent for ${this.limits.peerStallMs} ms`);
      else this.fail('stalled', `no answer in ${this.limits.peerStallMs} ms`);
    }, this.limits.peerStallMs);
  }

  private armPace(): void {
    this.paceTimer = this.limits.clock.setTimeout(() => {
      this.judgePace();
      if (!this.done) this.armPace();
    }, PACE_CHECK_MS);
  }

  private end(): void {
    this.done = true;
    this.clear(this.stallTimer);
    this.clear(this.paceTimer);
  }

  private clear(timer: TimerHandle | undefined): void {
    if (timer !== undefined) this.limits.clock.clearTimeout(timer);
  }
}

/** A REJECT for something the peer announced is a broken claim, unless it only says "not now". */
function classifyFailure(rejected: RejectReason | undefined): PeerFailure {
  if (rejected === undefined) return 'gone';
  return rejected === RejectReason.NotFound || rejected === RejectReason.BadRange ? 'broke-claim' : 'refused';
}
