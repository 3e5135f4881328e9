import { ThroughputMeter } from './stats.js';

/**
 * A slow verdict on a peer is checked again after this long: one transfer the device or the
 * network stalled (a CPU-bound page hiccups for seconds) must not shut a peer out for good. Each
 * slow verdict in a row doubles the wait, up to SLOW_RETRY_MAX_MS, so a peer that really drips
 * costs one cut piece per interval, fewer and fewer of them.
 */
export const SLOW_RETRY_MS = 10_000;
export const SLOW_RETRY_MAX_MS = 320_000;

/**
 * What this viewer measured of one peer's delivery pace, and for how long that measure decides.
 * Without an expiry, a peer measured slow once is never asked again and so never measured again:
 * on a busy device every peer ends up there and the viewer takes everything from the origin.
 */
export class PeerPace {
  private readonly meter = new ThroughputMeter();
  private lastAt = Number.NEGATIVE_INFINITY;
  private slowInRow = 0;

  /** Bytes per ms, or the fallback when nothing was measured. */
  bytesPerMs(fallback: number): number {
    return this.meter.bytesPerMs(fallback);
  }

  /** Whether the measure still decides at `now` (false: never measured, or old enough to retry). */
  decides(now: number): boolean {
    return this.meter.measured && now - this.lastAt < this.retryAfterMs();
  }

  /** A transfer ended without finishing (cancelled, stalled): its bytes over its time. */
  sample(bytes: number, ms: number, at: number): void {
    this.record(bytes, ms, at, false);
  }

  /** A transfer finished: the peer keeps pace again. */
  delivered(bytes: number, ms: number, at: number): void {
    this.slowInRow = 0;
    this.record(bytes, ms, at, false);
  }

  /** A transfer fell behind its pace and was cut: this pace is the peer's rate from now on. */
  tooSlow(bytes: number, ms: number, at: number): void {
    this.slowInRow++;
    this.record(Math.max(bytes, 1), ms, at, true);
  }

  private record(bytes: number, ms: number, at: number, restart: boolean): void {
    if (!restart && bytes <= 0) return; // nothing arrived: no pace to speak of
    // A measure older than the retry interval says nothing about now: start over from this one.
    if (restart || at - this.lastAt >= this.retryAfterMs()) this.meter.restart(bytes, ms);
    else this.meter.sample(bytes, ms);
    this.lastAt = at;
  }

  private retryAfterMs(): number {
    return Math.min(SLOW_RETRY_MAX_MS, SLOW_RETRY_MS * 2 ** Math.max(0, this.slowInRow - 1));
  }
}
