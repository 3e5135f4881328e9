import { describe, expect, it } from 'vitest';
import { DeviceHealth, HEALTH_BUDGETS, HEALTH_WINDOW_MS, RECOVERY_MS, type HealthChange } from '../src/index.js';
import { PrefetchPacer } from '../src/engine/prefetch-pacer.js';

/** Feeds lag samples every 500 ms from `from` to `to`, evaluating each time; returns the changes. */
function lagging(health: DeviceHealth, from: number, to: number, lagMs: number): HealthChange[] {
  const changes: HealthChange[] = [];
  for (let at = from; at <= to; at += 500) {
    health.loopLag(at, lagMs);
    const change = health.evaluate(at);
    if (change) changes.push(change);
  }
  return changes;
}

describe('DeviceHealth', () => {
  it('goes straight to the level the event-loop lag says, naming it as the reason; lag alone stops at struggling', () => {
    for (const [lagMs, level] of [
      [20, undefined],
      [80, 'strained'],
      [200, 'struggling'],
      [600, 'struggling'],
    ] as const) {
      const health = new DeviceHealth();
      const changes = lagging(health, 0, 2000, lagMs);
      expect(changes.map((c) => c.level)).toEqual(level ? [level] : []);
      if (level) expect(changes[0]).toMatchObject({ previous: 'healthy', reason: 'event-loop-lag', value: lagMs });
    }
  });

  it('comes back one step at a time, each after a sustained calm period, and a new spike restarts the count', () => {
    const health = new DeviceHealth();
    lagging(health, 0, 2000, 600);
    health.delivery(2000, 5000);
    health.evaluate(2000);
    expect(health.level).toBe('critical');
    // Calm, but one spike keeps the window's mean at critical for a while: no step up yet.
    const calm1 = lagging(health, 2500, 2500 + RECOVERY_MS - 1000, 0);
    expect(calm1.filter((c) => c.level !== 'critical')).toEqual([]);
    health.delivery(2500 + RECOVERY_MS - 500, 5000);
    lagging(health, 2500 + RECOVERY_MS - 500, 2500 + RECOVERY_MS, 0);
    expect(health.level).toBe('critical');
    const start = 3000 + RECOVERY_MS;
    const changes = lagging(health, start, start + 4 * RECOVERY_MS, 0);
    expect(changes.map((c) => [c.level, c.reason])).toEqual([
      ['struggling', 'recovered'],
      ['strained', 'recovered'],
      ['healthy', 'recovered'],
    ]);
    for (const change of changes) expect(change.value).toBeGreaterThanOrEqual(RECOVERY_MS);
  });

  it('steps down at once when a worse signal comes while it is recovering', () => {
    const health = new DeviceHealth();
    lagging(health, 0, 1000, 200);
    lagging(health, 1500, 1500 + HEALTH_WINDOW_MS + 5000, 0);
    expect(health.level).toBe('struggling');
    health.delivery(12_000, 5000);
    expect(health.evaluate(12_000)).toMatchObject({ level: 'critical', previous: 'struggling', reason: 'late-delivery', value: 5000 });
  });

  it('counts late deliveries by their overrun, and forgets them after the window', () => {
    const health = new DeviceHealth();
    health.delivery(0, -3000);
    expect(health.evaluate(0)).toBeUndefined();
    health.delivery(100, 700);
    expect(health.evaluate(100)).toMatchObject({ level: 'strained', reason: 'late-delivery' });
    health.delivery(200, 2000);
    expect(health.evaluate(200)).toMatchObject({ level: 'struggling', reason: 'late-delivery' });
    expect(health.evaluate(200 + HEALTH_WINDOW_MS + 1)).toBeUndefined(); // forgotten, calm starts
    expect(health.evaluate(201 + HEALTH_WINDOW_MS + RECOVERY_MS)).toMatchObject({ level: 'strained', reason: 'recovered' });
  });

  it('sees a buffer that drains while playing, but not one that holds still while paused', () => {
    const playing = new DeviceHealth();
    const paused = new DeviceHealth();
    for (let at = 0, ahead = 5; at <= HEALTH_WINDOW_MS; at += 500, ahead -= 0.45) {
      playing.buffer(at, ahead, at / 1000);
      paused.buffer(at, ahead, 0);
    }
    expect(playing.evaluate(HEALTH_WINDOW_MS)).toMatchObject({ level: 'critical', reason: 'buffer-draining' });
    expect(paused.evaluate(HEALTH_WINDOW_MS)).toBeUndefined();
    const filling = new DeviceHealth();
    for (let at = 0; at <= HEALTH_WINDOW_MS; at += 500) filling.buffer(at, 1 + at / 1000, at / 1000);
    expect(filling.evaluate(HEALTH_WINDOW_MS)).toBeUndefined();
  });

  it('does not take the sawtooth of a live buffer at the edge for draining (falls between segments, jumps as each arrives)', () => {
    for (const phaseMs of [0, 500, 1000, 1500]) {
      const live = new DeviceHealth();
      // 2 s segments: 3.5 s ahead right after one arrives, falling to 1.5 s before the next.
      for (let at = 0; at <= HEALTH_WINDOW_MS; at += 250) live.buffer(at, 3.5 - ((at + phaseMs) % 2000) / 1000, at / 1000);
      expect(live.evaluate(HEALTH_WINDOW_MS), `phase ${phaseMs} ms`).toBeUndefined();
    }
  });

  it('takes long tasks by the share of time they blocked, and dropped frames once enough frames were shown; both only ever strain', () => {
    // They say the device is busy, which it is with P2P off too: careful, never out of P2P on them alone.
    const blocked = new DeviceHealth();
    for (let i = 0; i < 8; i++) blocked.longTask(i * 500, 200); // 1.6 s of 5 s
    expect(blocked.evaluate(4000)).toMatchObject({ level: 'strained', reason: 'long-tasks' });
    const dropping = new DeviceHealth();
    dropping.videoFrames(0, 10, 5);
    expect(dropping.evaluate(0)).toBeUndefined(); // 10 frames say nothing yet
    dropping.videoFrames(500, 50, 1);
    expect(dropping.evaluate(500)).toMatchObject({ level: 'strained', reason: 'dropped-frames', value: 6 / 60 });
    dropping.videoFrames(1000, 40, 20);
    expect(dropping.evaluate(1000)).toBeUndefined(); // 26% dropped: still only strained
    expect(dropping.level).toBe('strained');
  });

  it('keeps a bounded memory whatever is fed to it', () => {
    const health = new DeviceHealth();
    for (let i = 0; i < 100_000; i++) health.longTask(0, 1e9);
    for (let i = 0; i < 100_000; i++) health.delivery(0, 1e9);
    expect(health.evaluate(0)).toMatchObject({ level: 'critical', reason: 'late-delivery', value: 1e9 });
    const lists = Object.values(health as unknown as Record<string, unknown>).filter(Array.isArray) as unknown[][];
    for (const list of lists) expect(list.length).toBeLessThanOrEqual(256);
  });

  it('has budgets that never grow from one level to the next, and each level takes something away', () => {
    const levels = [HEALTH_BUDGETS.healthy, HEALTH_BUDGETS.strained, HEALTH_BUDGETS.struggling, HEALTH_BUDGETS.critical];
    for (let i = 1; i < levels.length; i++) {
      const [better, worse] = [levels[i - 1]!, levels[i]!];
      expect(worse.maxPeers).toBeLessThanOrEqual(better.maxPeers);
      expect(worse.uploadBytesPerSecond).toBeLessThan(better.uploadBytesPerSecond);
      expect(worse.prefetchWindowS).toBeLessThan(better.prefetchWindowS);
      expect(worse.safetyFactor).toBeGreaterThan(better.safetyFactor);
      expect(worse.waitSafetyFactor).toBeGreaterThan(better.waitSafetyFactor);
      expect(worse.waitSafetyFactor).toBeGreaterThanOrEqual(worse.safetyFactor);
      if (worse.urgentPeers) expect(better.urgentPeers).toBe(true);
    }
    expect(HEALTH_BUDGETS.critical.uploadBytesPerSecond).toBe(0);
  });
});

describe('PrefetchPacer', () => {
  it('lets segments within the window through at once, and spaces those beyond it at twice playback speed', () => {
    const pacer = new PrefetchPacer();
    const segment = (startS: number) => ({ startS, durationS: 2 });
    expect(pacer.holdMs(0, segment(8), 0, 1, 10)).toBe(0);
    expect(pacer.holdMs(0, segment(12), 0, 1, 10)).toBe(0); // the first beyond goes now, and takes its slot
    expect(pacer.holdMs(10, segment(14), 0, 1, 10)).toBe(990);
    expect(pacer.holdMs(20, segment(16), 0, 1, 10)).toBe(1980);
    expect(pacer.holdMs(20, segment(9), 0, 1, 10)).toBe(0); // a seek back into the window is never held
    expect(pacer.holdMs(5000, segment(18), 0, 2, 10)).toBe(0); // slots are past; at 2x playback, 500 ms each
    expect(pacer.holdMs(5000, segment(20), 0, 2, 10)).toBe(500);
  });
});
