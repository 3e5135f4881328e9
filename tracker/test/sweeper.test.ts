import { describe, expect, it } from 'vitest';
import { Counters } from '../src/swarm/counters.js';
import { Sweeper, type SweepConfig, type SweptConnection } from '../src/server/sweeper.js';

const CFG: SweepConfig = { idleTimeoutMs: 1000, peerTimeoutMs: 30_000, messageTimeoutMs: 4000 };

/** A connection as the sweep sees it; `dripping` marks a frame past its deadline. */
class FakeConnection implements SweptConnection {
  pinged = false;
  destroyed = false;
  cut = false;
  pings = 0;
  constructor(
    public lastSeen: number,
    private readonly dripping = false,
  ) {}
  checkDeadline(): boolean {
    if (this.dripping) this.cut = true;
    return this.dripping;
  }
  ping(): void {
    this.pinged = true;
    this.pings++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function sweeper(connections: FakeConnection[], dropMembers = 0, cfg = CFG) {
  const counters = new Counters();
  const calls = { sweepMembers: [] as number[], prunes: [] as number[] };
  const s = new Sweeper(
    cfg,
    {
      sweepMembers: (now, timeoutMs) => {
        expect(timeoutMs).toBe(cfg.peerTimeoutMs);
        calls.sweepMembers.push(now);
        return dropMembers;
      },
      connections: () => connections,
      pruneStats: (wallNow) => calls.prunes.push(wallNow),
    },
    counters,
  );
  return { s, counters, calls };
}

describe('sweeper', () => {
  it('pings a connection idle past idleTimeoutMs once, and cuts it when still silent at twice that', () => {
    const c = new FakeConnection(0);
    const { s, counters } = sweeper([c]);
    s.sweep(1000, 0);
    expect(c.pings).toBe(0);
    s.sweep(1001, 0);
    expect(c.pings).toBe(1);
    s.sweep(1500, 0);
    expect(c.pings).toBe(1);
    expect(c.destroyed).toBe(false);
    s.sweep(2001, 0);
    expect(c.destroyed).toBe(true);
    expect(counters.rejections.get('idle_timeout')).toBe(1);
  });

  it('keeps a connection that answered the ping (a frame came: not pinged any more, lastSeen moved)', () => {
    const c = new FakeConnection(0);
    const { s, counters } = sweeper([c]);
    s.sweep(1001, 0);
    c.pinged = false;
    c.lastSeen = 1100;
    s.sweep(2500, 0);
    expect(c.destroyed).toBe(false);
    expect(counters.rejections.get('idle_timeout')).toBeUndefined();
  });

  it('leaves a connection cut for a dripping frame alone (no ping, no second count)', () => {
    const c = new FakeConnection(0, true);
    const { s, counters } = sweeper([c]);
    s.sweep(5000, 0);
    expect(c.cut).toBe(true);
    expect(c.pings).toBe(0);
    expect(c.destroyed).toBe(false);
    expect(counters.rejections.size).toBe(0);
  });

  it('counts members dropped for silence as leaves', () => {
    const { s, counters, calls } = sweeper([], 3);
    s.sweep(7, 0);
    s.sweep(8, 0);
    expect(calls.sweepMembers).toEqual([7, 8]);
    expect(counters.leaves).toBe(6);
  });

  it('prunes the stats sessions at most once a minute, with the wall clock', () => {
    const { s, calls } = sweeper([]);
    s.sweep(60_001, 1_000_000);
    s.sweep(90_000, 1_030_000);
    s.sweep(120_001, 1_060_000); // 60 s since the last prune: not yet
    s.sweep(120_002, 1_060_001);
    s.sweep(120_003, 1_060_002);
    expect(calls.prunes).toEqual([1_000_000, 1_060_001]);
  });

  it('sweeps often enough to notice each timeout within half its length, and at least every 5 s', () => {
    expect(sweeper([]).s.periodMs).toBe(500);
    expect(sweeper([], 0, { idleTimeoutMs: 60_000, peerTimeoutMs: 120_000, messageTimeoutMs: 30_000 }).s.periodMs).toBe(5000);
    expect(sweeper([], 0, { idleTimeoutMs: 60_000, peerTimeoutMs: 120_000, messageTimeoutMs: 2000 }).s.periodMs).toBe(1000);
  });
});
