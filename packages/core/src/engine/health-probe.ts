import type { Clock, Playhead, TimerHandle } from '../io/interfaces.js';
import { DeviceHealth, HEALTH_BUDGETS, type HealthBudget, type HealthChange, type HealthLevel } from './device-health.js';

/** How often the probe timer runs; its lateness is the event-loop lag. */
export const HEALTH_TICK_MS = 500;

/**
 * Feeds DeviceHealth from the engine's own I/O: a repeating timer on the Clock (how late it
 * fires is the event-loop lag) that also samples the player's buffer, and settles the level.
 * Browser-only signals (long tasks, dropped frames) come in through the same DeviceHealth.
 * Disabled (adaptToDevice off), it never runs and the device always counts as healthy.
 */
export class HealthProbe {
  readonly health = new DeviceHealth();
  private timer: TimerHandle | undefined;
  /**
   * The page is hidden: browsers clamp its timers (to 1 s, later 1 min in Chromium), so their
   * lateness says nothing about the device and is not counted.
   */
  hidden = false;

  constructor(
    private readonly clock: Clock,
    private readonly playhead: Playhead,
    private readonly enabled: boolean,
    private readonly onChange: (change: HealthChange) => void,
  ) {}

  get level(): HealthLevel {
    return this.enabled ? this.health.level : 'healthy';
  }

  /** What P2P may do now. */
  get budget(): HealthBudget {
    return HEALTH_BUDGETS[this.level];
  }

  /** Recent event-loop lag, ms: how late any timer (a deadline too) fires now. */
  get lagMs(): number {
    return this.enabled ? this.health.snapshot().eventLoopLagMs : 0;
  }

  start(): void {
    if (this.enabled && this.timer === undefined) this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A delivery finished overrunMs after the time it was planned to be done by. */
  delivered(overrunMs: number): void {
    if (this.timer === undefined) return;
    this.health.delivery(this.clock.now(), overrunMs);
    this.settle();
  }

  longTask(durationMs: number): void {
    this.health.longTask(this.clock.now(), durationMs);
  }

  videoFrames(total: number, dropped: number): void {
    this.health.videoFrames(this.clock.now(), total, dropped);
  }

  private schedule(): void {
    const due = this.clock.now() + HEALTH_TICK_MS;
    this.timer = this.clock.setTimeout(() => {
      const now = this.clock.now();
      if (!this.hidden) this.health.loopLag(now, now - due);
      this.health.buffer(now, this.playhead.bufferedAheadS(), this.playhead.positionS());
      this.schedule();
      this.settle();
    }, HEALTH_TICK_MS);
  }

  private settle(): void {
    const change = this.health.evaluate(this.clock.now());
    if (change) this.onChange(change);
  }
}
