/**
 * What one tracker connection may still have counted in the stats. A viewer's reports are checked
 * per session (peer id), but one connection can take many peer ids in turn (join, report, leave,
 * rejoin); so what all its sessions add up to is bounded by the connection's own life, which
 * no report can stretch. Lives on the connection and in its departed members' records.
 */
import { zeroCounters, type Counters } from './report.js';

export class ReportAllowance {
  /** What reports from this connection's peer ids have added so far. */
  readonly spent: Counters = zeroCounters();
  private closedAt: number | undefined;

  /** Integer ms (nowMs). */
  constructor(private readonly openedAt: number) {}

  /** The connection closed: its life, and so its allowance, stops growing. */
  close(now: number): void {
    this.closedAt ??= now;
  }

  lifeMs(now: number): number {
    return Math.max(0, (this.closedAt ?? now) - this.openedAt);
  }
}
