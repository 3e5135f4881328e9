import { describe, expect, it } from 'vitest';
import {
  capacityOffloadLimit,
  drawViewerLink,
  meanUplinkX,
  NETWORKS,
  pairConnects,
  parseUplink,
  RESIDENTIAL,
} from '../src/sim/net-model.js';
import { exponential, hashUnit, seededRng } from '../src/sim/rng.js';
import { SimClock } from '../src/sim/sim-clock.js';
import { quantile, summarize } from '../src/sim/sim-metrics.js';
import { parseSimFlags } from '../src/sim/sim-flags.js';
import { SimStream } from '../src/sim/sim-stream.js';

describe('SimClock', () => {
  it('runs timers in time order, then in the order they were set, and skips cleared ones', async () => {
    const clock = new SimClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push('b@20'), 20);
    clock.setTimeout(() => seen.push('a@10'), 10);
    const cleared = clock.setTimeout(() => seen.push('never'), 15);
    clock.setTimeout(() => seen.push('c@20'), 20);
    clock.clearTimeout(cleared);
    await clock.runUntil(30);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.now()).toBe(30);
  });

  it('lets the promise jobs a timer starts finish before time moves on', async () => {
    const clock = new SimClock();
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => clock.setTimeout(() => seen.push(['after', clock.now()]), 0));
    }, 5);
    clock.setTimeout(() => seen.push(['later', clock.now()]), 6);
    await clock.runUntil(10);
    expect(seen).toEqual([
      ['after', 5],
      ['later', 6],
    ]);
  });

  it('keeps order for many timers (heap)', async () => {
    const clock = new SimClock();
    const rng = seededRng(3);
    const times: number[] = [];
    for (let i = 0; i < 500; i++) {
      const at = Math.floor(rng() * 1000);
      clock.setTimeout(() => times.push(clock.now()), at);
    }
    await clock.runUntil(1000);
    expect(times).toHaveLength(500);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

describe('network model', () => {
  it('the residential mix has a mean uplink of 1.5x the bitrate', () => {
    expect(meanUplinkX(RESIDENTIAL)).toBeCloseTo(1.5, 10);
    expect(RESIDENTIAL.reduce((s, t) => s + t.share, 0)).toBeCloseTo(1, 10);
  });

  it('draws uplinks in the mix proportions', () => {
    const rng = seededRng(7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const link = drawViewerLink(rng, NETWORKS.residential, 1e6);
      counts.set(link.uplinkBps, (counts.get(link.uplinkBps) ?? 0) + 1);
      expect(link.downlinkBps).toBeGreaterThanOrEqual(3e6);
    }
    expect((counts.get(0.25e6) ?? 0) / 20_000).toBeCloseTo(0.3, 1);
    expect((counts.get(6.25e6) ?? 0) / 20_000).toBeCloseTo(0.1, 1);
  });

  it('parses uplink mixes', () => {
    expect(parseUplink('fixed:2')).toEqual([{ share: 1, uplinkX: 2 }]);
    expect(parseUplink('1@1,3@3')).toEqual([
      { share: 0.25, uplinkX: 1 },
      { share: 0.75, uplinkX: 3 },
    ]);
    expect(() => parseUplink('fixed:0')).toThrow(/fixed:X/);
    expect(() => parseUplink('x@y')).toThrow(/share@X/);
  });

  it('a pair connects or not the same from both ends, at about the configured share', () => {
    let failed = 0;
    for (let i = 0; i < 5000; i++) {
      const a = `a${i}`;
      const b = `b${i}`;
      expect(pairConnects(1, a, b, NETWORKS.residential)).toBe(pairConnects(1, b, a, NETWORKS.residential));
      if (!pairConnects(1, a, b, NETWORKS.residential)) failed++;
    }
    expect(failed / 5000).toBeCloseTo(NETWORKS.residential.unconnectable, 1);
    expect(pairConnects(1, 'x', 'y', NETWORKS.loopback)).toBe(true);
  });

  it('caps the offload limit by copies and by uplink', () => {
    expect(capacityOffloadLimit(8, 100)).toBeCloseTo(7 / 8, 10);
    expect(capacityOffloadLimit(1000, 0.5)).toBe(0.5);
    expect(capacityOffloadLimit(0, 1)).toBe(0);
  });
});

describe('random streams', () => {
  it('are reproducible per seed and spread over [0, 1)', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / 1000).toBeCloseTo(0.5, 1);
  });

  it('exponential waits have the mean asked for', () => {
    const rng = seededRng(5);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += exponential(rng, 300);
    expect(sum / 20_000).toBeGreaterThan(285);
    expect(sum / 20_000).toBeLessThan(315);
  });

  it('hashUnit is stable and in [0, 1)', () => {
    expect(hashUnit('abc')).toBe(hashUnit('abc'));
    expect(hashUnit('abc')).not.toBe(hashUnit('abd'));
    expect(hashUnit('abc')).toBeGreaterThanOrEqual(0);
  });
});

describe('SimStream', () => {
  it('a live window advances one segment per segment duration', () => {
    const stream = new SimStream({ live: true, bitrate: 1e6, segmentS: 2, segments: 10, sizeSpread: 0.2 });
    expect(stream.window(0)).toEqual({ first: 0, last: 9 });
    expect(stream.window(1999)).toEqual({ first: 0, last: 9 });
    expect(stream.window(2000)).toEqual({ first: 1, last: 10 });
    expect(stream.availableAt(10)).toBe(2000);
    expect(stream.edgeS(2000)).toBe(22);
    expect(stream.seqOf(stream.urlOf(17))).toBe(17);
    const size = stream.bytesOf(3);
    expect(size).toBeGreaterThanOrEqual(250_000 * 0.8);
    expect(size).toBeLessThanOrEqual(250_000 * 1.2);
  });
});

describe('summarize', () => {
  const viewer = (id: string, http: number, p2p: number, upload: number, stalls = 0) => ({
    id,
    joinedAt: 0,
    leftAt: undefined,
    startupMs: 500,
    stalls,
    stallMs: stalls * 1000,
    playingMs: 60_000 - stalls * 1000,
    httpBytes: http,
    p2pBytes: p2p,
    uploadBytes: upload,
    latencyS: [6, 7],
  });

  it('offload, fetches per segment, stalls per viewer-minute, upload in bitrate multiples', () => {
    const s = summarize({
      results: [viewer('a', 900, 100, 0, 2), viewer('b', 100, 900, 750_000)],
      fetchesBySeq: new Map([
        [1, 1],
        [2, 3],
      ]),
      uplinkBps: new Map([
        ['a', 1e6],
        ['b', 1e6],
      ]),
      bitrate: 1e6,
      endMs: 60_000,
    });
    expect(s.offload).toBeCloseTo(0.5, 10);
    expect(s.originFetchesPerSegment).toBe(2);
    expect(s.stallsPerViewerMinute).toBeCloseTo(1, 10);
    expect(s.uploadX.max).toBeCloseTo(0.1, 10);
    expect(s.liveLatencyMedianS).toBeCloseTo(6.5, 10);
    expect(s.offloadLimitByUplink).toBe(1);
  });

  it('quantiles interpolate', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('sim flags', () => {
  it('parses the documented flags with defaults', () => {
    const flags = parseSimFlags(['--viewers', '8,12', '--mode', 'vod', '--tracker-outage', '60:300', '--uplink', 'fixed:2']);
    if (flags === 'help') throw new Error('unexpected help');
    expect(flags.viewers).toEqual([8, 12]);
    expect(flags.mode).toBe('vod');
    expect(flags['tracker-outage']).toEqual({ startS: 60, lenS: 300 });
    expect(flags.uplink?.tiers).toEqual([{ share: 1, uplinkX: 2 }]);
    expect(flags.duration).toBe(120);
    expect(parseSimFlags(['--help'])).toBe('help');
    expect(() => parseSimFlags(['--mode', 'dvr'])).toThrow(/live, vod/);
    expect(() => parseSimFlags(['--bogus', '1'])).toThrow(/unknown flag/);
  });
});
