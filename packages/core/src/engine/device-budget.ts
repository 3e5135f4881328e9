import type { Clock, Playhead } from '../io/interfaces.js';
import type { EngineConfig } from './config.js';
import type { HealthBudget, HealthChange, HealthLevel } from './device-health.js';
import { HealthProbe } from './health-probe.js';
import { PrefetchPacer, type PacedSegment } from './prefetch-pacer.js';
import { RateLimiter } from './uploader.js';

/** What the browser can tell about the device beyond the engine's own signals. */
export type DeviceSignal =
  /** The main thread was blocked by a task of ms (PerformanceObserver 'longtask'). */
  | { readonly kind: 'long-task'; readonly ms: number }
  /** Video frames shown and dropped since the last report (getVideoPlaybackQuality). */
  | { readonly kind: 'video-frames'; readonly total: number; readonly dropped: number }
  /** The page is hidden: its timers are clamped, so their lateness is not the device's. */
  | { readonly kind: 'page-hidden'; readonly hidden: boolean };

/**
 * The engine's P2P settings as the device's health allows them right now: each a cap of the
 * budget for the current level (device-health.ts) over the config.
 */
export class DeviceBudget {
  private readonly probe: HealthProbe;
  private readonly pacer = new PrefetchPacer();
  private uploadCap: RateLimiter;

  constructor(
    private readonly clock: Clock,
    private readonly playhead: Playhead,
    private readonly config: EngineConfig,
    onChange: (change: HealthChange) => void,
  ) {
    this.uploadCap = new RateLimiter(config.uploadBytesPerSecond, () => clock.now());
    this.probe = new HealthProbe(clock, playhead, config.adaptToDevice, (change) => {
      const rate = Math.min(config.uploadBytesPerSecond, this.budget.uploadBytesPerSecond);
      // Rate 0 means uploads off: new requests are refused, transfers under way finish at the old cap.
      if (rate > 0) this.uploadCap = new RateLimiter(rate, () => clock.now());
      onChange(change);
    });
  }

  get level(): HealthLevel {
    return this.probe.level;
  }

  /** What P2P may do now. */
  get budget(): HealthBudget {
    return this.probe.budget;
  }

  /** Recent event-loop lag, ms: how late any timer (a deadline too) fires now. */
  get lagMs(): number {
    return this.probe.lagMs;
  }

  /** Peer connections allowed now. */
  get maxPeers(): number {
    return Math.min(this.config.maxPeers, this.budget.maxPeers);
  }

  uploadsEnabled(): boolean {
    return this.config.uploads && this.budget.uploadBytesPerSecond > 0;
  }

  /** Ms before `bytes` more may be uploaded (0: now, and they are counted). */
  uploadDelayMs(bytes: number): number {
    return this.uploadCap.delayFor(bytes);
  }

  /** VOD: ms a segment peers would deliver waits for its paced turn (0: now). */
  prefetchHoldMs(segment: PacedSegment): number {
    const windowS = Math.min(this.config.prefetchWindowS, this.budget.prefetchWindowS);
    return this.pacer.holdMs(this.clock.now(), segment, this.playhead.positionS(), this.playhead.playbackRate(), windowS);
  }

  /** Starts watching (at the join, or when it is moments away). */
  start(): void {
    this.probe.start();
  }

  stop(): void {
    this.probe.stop();
  }

  /** A delivery finished overrunMs after the time it was planned to be done by. */
  delivered(overrunMs: number): void {
    this.probe.delivered(overrunMs);
  }

  report(signal: DeviceSignal): void {
    if (signal.kind === 'long-task') this.probe.longTask(signal.ms);
    else if (signal.kind === 'video-frames') this.probe.videoFrames(signal.total, signal.dropped);
    else this.probe.hidden = signal.hidden;
  }
}
