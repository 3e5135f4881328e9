// The dashboard's time ranges: bounded rings of aligned buckets, the view drawn from them (gaps,
// offload without traffic, money, QoE split), persistence through the store and the cluster merge.
import { describe, expect, it } from 'vitest';
import { BucketRing, RangeSet, RANGES, sumBuckets, type Bucket } from '../src/stats/buckets.js';
import { addStartup, startupQuantile, zeroQoe } from '../src/stats/qoe-counts.js';
import { buildRangeView, summarizeRange } from '../src/stats/range-view.js';
import { StatsStore } from '../src/stats/store.js';
import { mergeRanges } from '../src/cluster/merge-ranges.js';
import { zeroCounters } from '../src/stats/report.js';
import { dashboardStats, parseDashboardQuery } from '../src/stats/dashboard-api.js';

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 600_000);
const SWARM = 'a'.repeat(40);

function delta(over: Partial<ReturnType<typeof zeroCounters>>) {
  return { ...zeroCounters(), ...over };
}

describe('bucket rings', () => {
  it('align buckets on the wall clock, keep at most the range, and drop what is older', () => {
    const ring = new BucketRing(10_000, 90);
    for (let i = 0; i < 200; i++) ring.at(T0 + i * 10_000 + 3_000).httpBytes += 1;
    const list = ring.list(T0 + 199 * 10_000);
    expect(list).toHaveLength(90);
    expect(list.every((b) => b.t % 10_000 === 0)).toBe(true);
    expect(list[0]!.t).toBe(T0 + 110 * 10_000);
    // Two hours later nothing is left in a 15-minute range.
    expect(ring.list(T0 + 199 * 10_000 + 7_200_000)).toHaveLength(0);
  });

  it('keeps every range of a scope bounded however many reports arrive', () => {
    const set = new RangeSet();
    for (let i = 0; i < 100_000; i++) set.record(T0 + i * 1000, (b) => (b.p2pBytes += 1));
    const now = T0 + 99_999 * 1000;
    for (const [name, r] of Object.entries(RANGES)) expect(set.list(name as keyof typeof RANGES, now).length).toBeLessThanOrEqual(r.count);
  });
});

describe('startup quantiles', () => {
  it('come out of the histogram within the width of a bin', () => {
    const q = zeroQoe();
    for (let ms = 100; ms <= 2000; ms += 100) addStartup(q, ms); // 20 samples, median 1050 ms, p95 1950 ms
    const p50 = startupQuantile(q.startup, 0.5)!;
    const p95 = startupQuantile(q.startup, 0.95)!;
    expect(Math.abs(p50 - 1050)).toBeLessThanOrEqual(250);
    expect(Math.abs(p95 - 1950)).toBeLessThanOrEqual(500);
    expect(startupQuantile([], 0.5)).toBeNull();
  });
});

describe('range view', () => {
  it('draws missing buckets as gaps, a bucket without bytes as no offload, and prices the bytes saved', () => {
    const store = new StatsStore(60, 10, 10, 10_000);
    // Two buckets with traffic, then ten silent minutes (tracker down: no bucket at all), then one with viewers only.
    store.add(SWARM, delta({ httpBytes: 1e9, p2pBytes: 3e9, playingMs: 120_000 }), T0 + 1000, 'Live', { peered: true, startupMs: [900] });
    store.tick(T0 + 5000, 3, [[SWARM, 3]]);
    store.add(SWARM, delta({ p2pBytes: 1e9, stalls: 1, stallMs: 2000, playingMs: 60_000 }), T0 + 11_000, undefined, {
      peered: false,
      startupMs: [4000],
    });
    store.tick(T0 + 15_000, 2, [[SWARM, 2]]);
    store.tick(T0 + 20 * 60_000 + 1000, 1, [[SWARM, 1]]);
    const now = T0 + 20 * 60_000 + 2000;
    const cost = { perGb: 0.05, currency: 'USD' };
    const view = buildRangeView('1h', store.ranges.list('1h', now), now, cost, '');
    expect(view.points).toHaveLength(60);
    const withData = view.points.filter((p) => p.viewers !== null);
    expect(withData.map((p) => p.viewers)).toEqual([3, 1]);
    expect(withData[0]!.offload).toBeCloseTo(0.8);
    expect(withData[1]!.offload).toBeNull(); // nothing flowed: not 0 %
    expect(view.points.filter((p) => p.viewers === null).length).toBe(58);
    expect(view.summary.peakViewers).toBe(3);
    expect(view.summary.moneySaved).toBeCloseTo(0.2);
    expect(view.summary.withPeers.startupP50Ms).not.toBeNull();
    expect(view.summary.withoutPeers!.rebufferingRatio).toBeCloseTo(2000 / 62_000);
    expect(view.summary.withoutPeersShare).toBeCloseTo(62_000 / 182_000);
    expect(view.summary.qoe.stallsPerViewerHour).toBeCloseTo(1 / (180_000 / 3_600_000));
    // 15 min at 10 s: the first two buckets have left the range; the last one is there.
    const short = buildRangeView('15m', store.ranges.list('15m', now), now, null, '');
    expect(short.points.filter((p) => p.viewers !== null).map((p) => p.viewers)).toEqual([1]);
    expect(short.summary.moneySaved).toBeNull();
  });

  it('has no "without peers" side when every viewer had peers', () => {
    const s = summarizeRange({ ...sumBuckets([]), peered: { stalls: 0, stallMs: 0, playingMs: 1000, startup: [] } }, null);
    expect(s.withoutPeers).toBeNull();
    expect(s.withoutPeersShare).toBe(0);
  });

  it('answers the query: range and swarm scope, per-swarm sums over that range, no raw buckets', () => {
    const store = new StatsStore(60, 10, 10, 10_000);
    store.add(SWARM, delta({ httpBytes: 10, p2pBytes: 30 }), Date.now(), 'News');
    const api = {
      now: Date.now(),
      intervalMs: 10_000,
      overall: { ...store.summary(1), swarms: 1 },
      series: [],
      ranges: store.save().ranges as never,
      cost: null,
      swarms: store.swarmSummaries(() => 1),
      tracker: { connections: 1, swarms: 1, peers: 1, announces: 0, offersRelayed: 0, answersRelayed: 0, rejections: {} },
    };
    const q = parseDashboardQuery(new URLSearchParams(`range=24h&swarm=${SWARM}`));
    expect(q).toEqual({ range: '24h', swarm: SWARM });
    expect(parseDashboardQuery(new URLSearchParams('range=1y&swarm=<x>'))).toEqual({ range: '15m', swarm: '' });
    const out = dashboardStats(api, q, (swarm, range) => store.swarmBuckets(swarm, range, Date.now()));
    expect(out.view.scope).toBe(SWARM);
    expect(out.view.bucketMs).toBe(600_000);
    expect(out.swarms[0]!.range.offload).toBeCloseTo(0.75);
    expect('ranges' in out).toBe(false);
    expect('ranges' in out.swarms[0]!).toBe(false);
  });
});

describe('persistence and cluster merge', () => {
  it('restores every range from the saved state', () => {
    const a = new StatsStore(60, 10, 10, 10_000);
    a.add(SWARM, delta({ p2pBytes: 500, playingMs: 90_000 }), T0 + 1000, 'x', { peered: true, startupMs: [1200] });
    a.tick(T0 + 2000, 4, [[SWARM, 4]]);
    const saved = JSON.parse(JSON.stringify(a.save(T0 + 3000))) as ReturnType<StatsStore['save']>;
    const b = new StatsStore(60, 10, 10, 10_000);
    b.restore(saved, T0 + 4000);
    for (const name of ['15m', '1h', '24h'] as const) {
      expect(b.ranges.list(name, T0 + 4000)).toEqual(a.ranges.list(name, T0 + 4000));
      expect(b.swarmBuckets(SWARM, name, T0 + 4000)).toEqual(a.swarmBuckets(SWARM, name, T0 + 4000));
    }
    // A corrupt bucket is skipped, not trusted.
    const c = new StatsStore(60, 10, 10, 10_000);
    c.restore({ ...saved, ranges: { '15m': [{ t: T0 + 1, viewers: -1 }] } }, T0 + 4000);
    expect(c.ranges.list('15m', T0 + 4000)).toEqual([]);
  });

  it('adds up the buckets of several nodes by their start time', () => {
    const bucket = (t: number, viewers: number, p2p: number): Bucket => ({ t, ...sumBuckets([]), viewers, p2pBytes: p2p });
    const merged = mergeRanges([
      { '15m': [bucket(T0, 2, 100), bucket(T0 + 10_000, 3, 50)] },
      { '15m': [bucket(T0 + 10_000, 4, 25)], '1h': 'junk' },
      undefined,
    ]);
    expect(merged['15m'].map((b) => [b.t, b.viewers, b.p2pBytes])).toEqual([
      [T0, 2, 100],
      [T0 + 10_000, 7, 75],
    ]);
    expect(merged['1h']).toEqual([]);
  });
});
