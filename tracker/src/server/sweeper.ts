/**
 * The periodic sweep: members silent past peerTimeoutMs leave their swarms (and expired offers are
 * forgotten), a connection whose frame has been dripping in past messageTimeoutMs is cut, an idle
 * connection is pinged and cut if it stays silent as long again, and the stats sessions are pruned
 * once a minute. Time comes in as arguments, so tests drive it with their own clock.
 */
import type { TrackerConfig } from '../config/fields.js';
import type { Counters } from '../swarm/counters.js';

export type SweepConfig = Pick<TrackerConfig, 'idleTimeoutMs' | 'peerTimeoutMs' | 'messageTimeoutMs'>;

/** What the sweep does to a connection (ws/connection.ts). */
export interface SweptConnection {
  /** nowMs() when the client last finished a frame (or connected). */
  readonly lastSeen: number;
  /** A ping is out and no frame has come since. */
  readonly pinged: boolean;
  /** Cuts the connection if a frame has been arriving for too long; returns whether it did. */
  checkDeadline(now: number): boolean;
  ping(): void;
  destroy(): void;
}

export interface SweepTargets {
  /** Drops members silent past the timeout; returns how many left. */
  sweepMembers(now: number, peerTimeoutMs: number): number;
  connections(): Iterable<SweptConnection>;
  /** Forgets stats sessions past their grace (wall clock ms). */
  pruneStats(wallNow: number): void;
}

/** The longest a sweep may wait: a timeout is noticed within half its length, and within this. */
const MAX_SWEEP_MS = 5000;
const PRUNE_EVERY_MS = 60_000;

export class Sweeper {
  private lastPrune = 0;

  constructor(
    private readonly cfg: SweepConfig,
    private readonly targets: SweepTargets,
    private readonly counters: Counters,
  ) {}

  /** How often to sweep. */
  get periodMs(): number {
    return Math.min(MAX_SWEEP_MS, this.cfg.idleTimeoutMs / 2, this.cfg.peerTimeoutMs / 2, this.cfg.messageTimeoutMs / 2);
  }

  /** One sweep; `now` is nowMs() (monotonic), `wallNow` is Date.now(). */
  sweep(now: number, wallNow: number): void {
    const dropped = this.targets.sweepMembers(now, this.cfg.peerTimeoutMs);
    if (dropped > 0) this.counters.leaves += dropped;
    const idleMs = this.cfg.idleTimeoutMs;
    for (const c of this.targets.connections()) {
      if (c.checkDeadline(now)) continue;
      const idle = now - c.lastSeen;
      if (idle > 2 * idleMs && c.pinged) {
        this.counters.reject('idle_timeout');
        c.destroy();
      } else if (idle > idleMs && !c.pinged) c.ping();
    }
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      this.targets.pruneStats(wallNow);
    }
  }
}
