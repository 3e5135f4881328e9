/**
 * Whether P2P is hurting playback on this device, as a level with hysteresis, and what P2P may
 * do at each level. Pure: signals come in with their time, nothing here reads a clock or sets a
 * timer (the engine's HealthProbe does), so every step is unit-tested on plain numbers.
 *
 * P2P work (WebRTC transfers, waits for peers, prefetch bursts, uploads) competes with the player
 * for the same CPU. Signs that the device cannot keep up: timers fire late (event-loop lag), long
 * tasks, dropped frames, deliveries that finish well after the moment they were planned for, and
 * a buffer that drains while playing. Any of them makes the level worse at once; the level comes
 * back one step at a time, each only after RECOVERY_MS with every signal below it.
 */

export const HEALTH_LEVELS = ['healthy', 'strained', 'struggling', 'critical'] as const;
export type HealthLevel = (typeof HEALTH_LEVELS)[number];

/** What made the level change: the signal that crossed a threshold, or a sustained calm period. */
export type HealthReason = 'event-loop-lag' | 'late-delivery' | 'buffer-draining' | 'long-tasks' | 'dropped-frames' | 'recovered';

export interface HealthChange {
  readonly level: HealthLevel;
  readonly previous: HealthLevel;
  readonly reason: HealthReason;
  /** The signal's value that decided it (ms, share 0..1, or seconds of buffer); ms calm for 'recovered'. */
  readonly value: number;
}

/** What P2P may do at one level. The engine applies each as a cap over its own config. */
export interface HealthBudget {
  /**
   * httpSafetyMs is multiplied by this before anything waits for or downloads from peers: the
   * thinner the buffer, the sooner HTTP takes over (Infinity: no waits, no peer downloads).
   */
  readonly safetyFactor: number;
  /**
   * httpSafetyMs is multiplied by this before waiting for peers that do not hold the segment yet:
   * the viewer ranked to fetch a live segment first, the peers a join is bringing (the startup
   * handover). A wait rests on another device's speed, and on a struggling one a fallback after a
   * long wait came too late (live-12 bench: waits of 4-6 s ended in stalls), so the wait must
   * leave a deeper reserve than a download from a peer that holds the segment. Only a deep buffer
   * still waits there: an outright ban sent a struggling live viewer with 7.5 s of buffer to the
   * origin for every new segment (live-8 bench, 4 extra origin fetches in 2 minutes for one
   * viewer). Infinity: no waits.
   */
  readonly waitSafetyFactor: number;
  /** Try peers even when the buffer leaves no slack beyond the HTTP time (urgentP2PTimeoutMs). */
  readonly urgentPeers: boolean;
  /**
   * Most peer connections: beyond it no new ones are asked for or accepted, and the open ones
   * stay. Closing them would free little (an idle data channel costs next to nothing) and
   * building them again on recovery costs a lot: building, connecting and closing peer
   * connections was the largest share of Shoal's main-thread time in a CPU-bound live-8 profile
   * (bench --cpu-profile), where two devices dropping to 3 peers made the swarm build 106
   * connections for the 50 it kept.
   */
  readonly maxPeers: number;
  /** Upload rate cap in bytes/s (0: uploads off). */
  readonly uploadBytesPerSecond: number;
  /** VOD: media seconds ahead of the playhead that peers deliver unpaced; beyond, at prefetch pace. */
  readonly prefetchWindowS: number;
  /** Seconds of buffer ahead the player must hold before the engine joins the swarm (swarm-presence.ts). */
  readonly joinBufferS: number;
}

export const HEALTH_BUDGETS: { readonly [L in HealthLevel]: HealthBudget } = {
  healthy: {
    safetyFactor: 1,
    waitSafetyFactor: 1,
    urgentPeers: true,
    maxPeers: Infinity,
    uploadBytesPerSecond: Infinity,
    prefetchWindowS: Infinity,
    joinBufferS: 0,
  },
  // Strained is careful, not out: a busy device (frames dropping with P2P off too) keeps its mesh
  // and its waits for peers (still bound by the buffer's slack, 1.5x the reserve); a partial
  // mesh makes viewers disagree on who fetches the live edge, and each disagreement is an origin fetch.
  strained: {
    safetyFactor: 1.5,
    waitSafetyFactor: 1.5,
    urgentPeers: false,
    maxPeers: Infinity,
    uploadBytesPerSecond: 1024 * 1024,
    prefetchWindowS: 12,
    // A busy device (dropped frames, long tasks) joins at its first frame: waiting for the buffer
    // there cost a 3-page swarm a tenth of its offload for no stall avoided.
    joinBufferS: 0,
  },
  struggling: {
    safetyFactor: 2,
    waitSafetyFactor: 3,
    urgentPeers: false,
    maxPeers: 3,
    uploadBytesPerSecond: 256 * 1024,
    prefetchWindowS: 6,
    joinBufferS: 4,
  },
  critical: {
    safetyFactor: Infinity,
    waitSafetyFactor: Infinity,
    urgentPeers: false,
    maxPeers: 0,
    uploadBytesPerSecond: 0,
    prefetchWindowS: 0,
    joinBufferS: Infinity,
  },
};

/**
 * Signal values at which each worse level starts, [strained, struggling, critical]; a signal
 * lists only the levels it may set. Dropped frames and long tasks say the device is busy, not
 * that P2P is the cause: a saturated page drops frames with P2P off too (12 headless pages on 2
 * cores drop 5-30% either way), and taking them for a struggling device moved most of a busy
 * page's segments to HTTP with no stall to show for it. So they only ever make P2P careful
 * (strained); going further takes evidence that deliveries fail playback: deliveries past their
 * deadlines, a draining buffer, or timers so late (event-loop lag) that waits overrun.
 */
export const HEALTH_THRESHOLDS = {
  /** Mean lateness (ms) of the probe timer over the window. Deadlines allow for it: at most struggling. */
  eventLoopLagMs: [50, 150],
  /** Largest overrun (ms) of a delivery past the time it was planned to be done by. */
  lateDeliveryMs: [500, 1500, 4000],
  /** Share of the window spent in long tasks (browser). */
  longTaskShare: [0.15],
  /** Share of frames dropped in the window (browser; counted from MIN_FRAMES frames on). */
  droppedFrameShare: [0.05],
  /** Buffer ahead (s) under which a buffer that fell during the window while the playhead moved counts. */
  drainingBufferS: [4, 2, 0.5],
} as const;

/** Signals older than this are forgotten. */
export const HEALTH_WINDOW_MS = 5000;
/** The level improves one step after this long with every signal below it. */
export const RECOVERY_MS = 10_000;
const MIN_FRAMES = 30;
/** Share of the media played across the window the buffer must lose to count as draining. */
const DRAIN_SHARE = 0.75;
/** Bounds the memory one window of signals takes, whatever the caller feeds. */
const MAX_SAMPLES = 256;

interface Sample {
  readonly at: number;
  readonly value: number;
}

export interface HealthSnapshot {
  readonly level: HealthLevel;
  readonly reason: HealthReason | undefined;
  /** Mean event-loop lag over the window, ms. */
  readonly eventLoopLagMs: number;
}

export class DeviceHealth {
  private current = 0;
  private lastReason: HealthReason | undefined;
  /** Since when every signal has been below the current level (undefined: not calm now). */
  private calmSince: number | undefined;
  private readonly lags: Sample[] = [];
  private readonly overruns: Sample[] = [];
  private readonly longTasks: Sample[] = [];
  private readonly frames: Array<{ at: number; total: number; dropped: number }> = [];
  private readonly buffers: Array<{ at: number; aheadS: number; positionS: number }> = [];

  get level(): HealthLevel {
    return HEALTH_LEVELS[this.current]!;
  }

  get budget(): HealthBudget {
    return HEALTH_BUDGETS[this.level];
  }

  snapshot(): HealthSnapshot {
    return { level: this.level, reason: this.lastReason, eventLoopLagMs: Math.round(mean(this.lags)) };
  }

  /** A repeating timer fired lagMs after it was due. */
  loopLag(at: number, lagMs: number): void {
    push(this.lags, { at, value: Math.max(0, lagMs) });
  }

  /** A segment was delivered overrunMs after the time it was planned to be done by (negative: early). */
  delivery(at: number, overrunMs: number): void {
    push(this.overruns, { at, value: overrunMs });
  }

  /** The browser reported a long task (main thread blocked) of durationMs. */
  longTask(at: number, durationMs: number): void {
    push(this.longTasks, { at, value: Math.max(0, durationMs) });
  }

  /** Frames presented and dropped since the last report. */
  videoFrames(at: number, total: number, dropped: number): void {
    if (total > 0 && dropped >= 0) push(this.frames, { at, total, dropped: Math.min(dropped, total) });
  }

  /** The player's buffer ahead and position, sampled now and then. */
  buffer(at: number, aheadS: number, positionS: number): void {
    push(this.buffers, { at, aheadS, positionS });
  }

  /** Settles the level at time now; returns the change, if any. */
  evaluate(now: number): HealthChange | undefined {
    for (const list of [this.lags, this.overruns, this.longTasks, this.frames, this.buffers]) forget(list, now - HEALTH_WINDOW_MS);
    const worst = this.worstSignal(now);
    const previous = this.level;
    if (worst.severity > this.current) {
      this.current = worst.severity;
      this.calmSince = undefined;
      return this.changed(previous, worst.reason, worst.value);
    }
    if (worst.severity === this.current || this.current === 0) {
      this.calmSince = undefined;
      return undefined;
    }
    this.calmSince ??= now;
    if (now - this.calmSince < RECOVERY_MS) return undefined;
    const calmMs = now - this.calmSince;
    this.current--;
    this.calmSince = worst.severity < this.current ? now : undefined;
    return this.changed(previous, 'recovered', calmMs);
  }

  private changed(previous: HealthLevel, reason: HealthReason, value: number): HealthChange {
    this.lastReason = reason;
    return { level: this.level, previous, reason, value };
  }

  private worstSignal(now: number): { severity: number; reason: HealthReason; value: number } {
    const candidates: Array<{ reason: HealthReason; value: number; thresholds: readonly number[]; below?: boolean }> = [];
    if (this.lags.length > 0)
      candidates.push({ reason: 'event-loop-lag', value: mean(this.lags), thresholds: HEALTH_THRESHOLDS.eventLoopLagMs });
    if (this.overruns.length > 0)
      candidates.push({
        reason: 'late-delivery',
        value: Math.max(...this.overruns.map((s) => s.value)),
        thresholds: HEALTH_THRESHOLDS.lateDeliveryMs,
      });
    const longTaskMs = this.longTasks.reduce((sum, s) => sum + s.value, 0);
    candidates.push({
      reason: 'long-tasks',
      value: Math.min(1, longTaskMs / HEALTH_WINDOW_MS),
      thresholds: HEALTH_THRESHOLDS.longTaskShare,
    });
    const total = this.frames.reduce((sum, f) => sum + f.total, 0);
    if (total >= MIN_FRAMES) {
      const dropped = this.frames.reduce((sum, f) => sum + f.dropped, 0);
      candidates.push({ reason: 'dropped-frames', value: dropped / total, thresholds: HEALTH_THRESHOLDS.droppedFrameShare });
    }
    const draining = this.drainingBuffer(now);
    if (draining !== undefined)
      candidates.push({ reason: 'buffer-draining', value: draining, thresholds: HEALTH_THRESHOLDS.drainingBufferS, below: true });
    let worst: { severity: number; reason: HealthReason; value: number } = { severity: 0, reason: 'recovered', value: 0 };
    for (const c of candidates) {
      const severity = c.thresholds.filter((t) => (c.below ? c.value < t : c.value >= t)).length;
      if (severity > worst.severity) worst = { severity, reason: c.reason, value: c.value };
    }
    return worst;
  }

  /**
   * The buffer ahead now, when it fell across the window while the playhead moved (playing, yet
   * deliveries do not keep up); undefined otherwise (paused, filling, too few samples).
   */
  private drainingBuffer(now: number): number | undefined {
    const first = this.buffers[0];
    const last = this.buffers[this.buffers.length - 1];
    if (!first || !last || last === first || now - first.at < HEALTH_WINDOW_MS / 2) return undefined;
    // A live buffer is a sawtooth (it falls between two segments at the edge, then jumps): only a
    // fall of most of what was played says deliveries are not keeping up.
    const playedS = last.positionS - first.positionS;
    return playedS > 0 && first.aheadS - last.aheadS >= DRAIN_SHARE * playedS ? last.aheadS : undefined;
  }
}

function push<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_SAMPLES) list.shift();
}

function forget(list: Array<{ at: number }>, before: number): void {
  while (list.length > 0 && list[0]!.at < before) list.shift();
}

function mean(list: readonly Sample[]): number {
  return list.length === 0 ? 0 : list.reduce((sum, s) => sum + s.value, 0) / list.length;
}
