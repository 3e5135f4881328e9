import { describe, expect, it } from 'vitest';
import type { OriginStats } from '@shoal/test-kit';
import { aggregate, fetchesPerSegment, tickTotals, timeline, type RawRun } from '../src/results/aggregate.js';
import { runChecks } from '../src/results/run-checks.js';
import { memoryTrend } from '../src/results/memory-trend.js';
import { compareRuns } from '../src/results/compare.js';
import { checkThresholds } from '../src/results/thresholds.js';
import type { PageMetrics } from '../src/run/page-metrics.js';
import type { PageSnapshot } from '../src/run/swarm-run.js';

function metrics(over: {
  http: number;
  p2p: number;
  frag?: number;
  startup?: number | null;
  stalls?: number;
  stallMs?: number;
  latency?: number[];
  up?: number;
}): PageMetrics {
  return {
    firstFrameMs: over.startup === undefined ? 500 : over.startup,
    waiting: over.stalls ?? 0,
    bufferStalledErrors: 0,
    fatalErrors: [],
    errors: [],
    fragBytes: over.frag ?? over.http + over.p2p,
    fragCount: 10,
    levels: [1, 1, 0],
    levelSwitches: [],
    latencyS: over.latency ?? [],
    shoal: {
      httpBytes: over.http,
      p2pBytes: over.p2p,
      uploadBytes: over.up ?? 0,
      rejectedBytes: 0,
      peers: 2,
      segmentsFromHttp: 1,
      segmentsFromPeers: 9,
      stalls: over.stalls ?? 0,
      stallMs: over.stallMs ?? 0,
      playingMs: 1000,
    },
  };
}

function page(index: number, m: PageMetrics, closedAtS?: number): PageSnapshot {
  return { index, kind: 'page', joinedAtS: index * 3, closedAtS, metrics: m, heapMB: 20 + index, cpuS: 1 + index };
}

function origin(segmentBytes: number, paths: Record<string, number>): OriginStats {
  const zero = { requests: 0, bytes: 0 };
  const byPath = Object.fromEntries(Object.entries(paths).map(([p, requests]) => [p, { requests, bytes: 1 }]));
  return {
    requests: 0,
    bytes: segmentBytes + 500,
    byKind: { playlist: { requests: 5, bytes: 500 }, init: zero, segment: { requests: 0, bytes: segmentBytes }, key: zero, other: zero },
    byPath,
    since: 0,
  };
}

function raw(pages: PageSnapshot[], originStats: OriginStats | undefined): RawRun {
  return {
    label: 'P2P on',
    startedAt: '2026-01-01T00:00:00.000Z',
    params: {
      mode: 'live',
      pages: pages.length,
      nodePeers: 0,
      durationS: 60,
      staggerS: 3,
      p2p: true,
      churn: 0,
      streamUrl: 'http://127.0.0.1/x',
    },
    pages,
    origin: originStats,
    elapsedS: 60.2,
    ticks: [
      { t: 1, viewers: 1, httpBytes: 100, p2pBytes: 0, stalls: 0, cpuPercent: 40 },
      { t: 2, viewers: 3, httpBytes: 200, p2pBytes: 300, stalls: 0, cpuPercent: 60 },
    ],
    cores: 2,
  };
}

describe('aggregate', () => {
  const pages = [
    page(0, metrics({ http: 1000, p2p: 0, up: 2000, latency: [6, 7, 8] })),
    page(1, metrics({ http: 0, p2p: 1000, startup: 300, latency: [5] })),
    page(2, metrics({ http: 200, p2p: 800, startup: null, stalls: 2, stallMs: 1500 }), 30),
  ];

  it('sums bytes, computes offload both ways and the limit', () => {
    const r = aggregate(raw(pages, origin(1200, { '/live/s/v1/seg-1.m4s': 2, '/live/s/v1/seg-2.m4s': 1, '/live/s/v1/index.m3u8': 9 })));
    expect(r).toMatchObject({
      peers: 3,
      httpBytes: 1200,
      p2pBytes: 1800,
      playerBytes: 3000,
      uploadBytes: 2000,
      originSegmentBytes: 1200,
      originBytes: 1700,
    });
    expect(r.offload).toBeCloseTo(0.6);
    expect(r.offloadByOrigin).toBeCloseTo(0.6);
    expect(r.offloadLimit).toBeCloseTo(2 / 3, 3);
    expect(r.originSegmentRequests).toBe(3);
    expect(r.originFetchesPerSegment).toBe(1.5);
    expect(r.ok).toBe(true);
  });

  it('reports playback: stalls, startup (started viewers), latency (all samples), never-started', () => {
    const r = aggregate(raw(pages, undefined));
    expect(r).toMatchObject({ stalls: 2, stallMs: 1500, startupMsMedian: 400, startupMsMax: 500, neverStarted: 1, liveLatencyS: 6.5 });
    expect(r.perPeer[2]).toMatchObject({ closedAtS: 30, offload: 0.8, startupMs: null, memoryMB: 22, cpuS: 3 });
    expect(r.cpu).toEqual({ cores: 2, avgPercent: 50, peakPercent: 60, perPeerCpuSMedian: 2 });
    expect(r.memoryPerPageMB).toBe(21);
  });

  it('rates stalls per viewer-minute watched, reports stalled seconds, and says why pages stalled', () => {
    // Page 0 watches 60.2 - 0.5 s, page 1 57.2 - 0.3 s, page 2 never started; 2 stalls over 116.6 s.
    const stalled: PageSnapshot = page(1, {
      ...metrics({ http: 0, p2p: 1000, startup: 300, stalls: 2, stallMs: 900 }),
      stallLog: [
        { t: 9_000, endT: 9_500, pos: 8, level: 1, sn: 4, requestedAtMs: 8_000 },
        { t: 20_000, endT: 20_400, pos: 18, level: 1, sn: 9, requestedAtMs: null },
      ],
      segments: [{ t: 9_300, track: 1, seq: 4, source: 'p2p', ms: 1300, plan: 'p2p', buffer: 0 }],
    });
    const r = aggregate(raw([pages[0]!, stalled, { ...pages[2]!, metrics: metrics({ http: 1, p2p: 0, startup: null }) }], undefined));
    expect(r.perPeer.map((p) => p.watchedMin)).toEqual([0.995, 0.948, 0]);
    expect(r).toMatchObject({ stalls: 2, stallMs: 900, stalledS: 0.9, viewerMinutes: 1.94 });
    expect(r.stallsPerViewerMinute).toBeCloseTo(2 / 1.943, 3);
    expect(r.stallCauses).toEqual({
      byCause: { 'late-delivery': 1, 'not-requested': 1, 'delivered-before-stall': 0, unidentified: 0 },
      lateBySource: { p2p: 1 },
    });
  });

  it('prefers the renderer process numbers, and reports no latency for VOD', () => {
    const withProcess: PageSnapshot = { ...pages[0]!, processMB: 71.25, processCpuS: 4.5 };
    const r = aggregate({ ...raw([withProcess, pages[1]!], undefined), params: { ...raw([], undefined).params, mode: 'vod' } });
    expect(r.perPeer.map((p) => [p.memoryMB, p.cpuS])).toEqual([
      [71.3, 4.5],
      [21, 2],
    ]);
    expect(r.liveLatencyS).toBeNull();
    expect(r.perPeer[0]!.liveLatencyS).toBeNull();
  });

  it('fails loudly when the SDK and the origin disagree by more than 2 points', () => {
    const r = aggregate(raw(pages, origin(1400, {})));
    const check = r.checks.find((c) => c.name === 'offload-agreement')!;
    expect(check.ok).toBe(false);
    expect(check.severity).toBe('fail');
    expect(r.ok).toBe(false);
  });

  it('without origin counters, offload comes from the SDK only and the run is not failed for it', () => {
    const r = aggregate(raw(pages, undefined));
    expect(r.offloadByOrigin).toBeNull();
    expect(r.originFetchesPerSegment).toBeNull();
    expect(r.ok).toBe(true);
  });

  it('fails when a node-peer worker went silent (its peers stopped being measured)', () => {
    const worker = { cpuS: 1, heapMB: 20, rssMB: 200, peers: 10, uncaughtErrors: 0, maxSilenceS: 1.1 };
    const healthy = aggregate({ ...raw(pages, undefined), nodeWorkers: [worker] });
    expect(healthy.checks.find((c) => c.name === 'node-workers-responsive')?.ok).toBe(true);
    const hung = aggregate({ ...raw(pages, undefined), nodeWorkers: [worker, { ...worker, maxSilenceS: 38, uncaughtErrors: 2 }] });
    expect(hung.checks.find((c) => c.name === 'node-workers-responsive')).toMatchObject({ ok: false, severity: 'fail' });
    expect(hung.checks.find((c) => c.name === 'node-workers-clean')).toMatchObject({ ok: false, severity: 'warn' });
    expect(hung.ok).toBe(false);
  });

  it('builds the timeline with cumulative and recent offload', () => {
    const points = timeline([
      { t: 1, viewers: 1, httpBytes: 100, p2pBytes: 0, stalls: 0, cpuPercent: null },
      { t: 2, viewers: 2, httpBytes: 100, p2pBytes: 100, stalls: 0, cpuPercent: 10 },
      { t: 9, viewers: 2, httpBytes: 100, p2pBytes: 400, stalls: 0, cpuPercent: 10 },
    ]);
    expect(points.map((p) => p.offload)).toEqual([0, 0.5, 0.8]);
    expect(points.map((p) => p.recentOffload)).toEqual([null, 1, null]);
  });

  it('tickTotals counts departed viewers bytes but not as present', () => {
    const totals = tickTotals(5, pages, 12);
    expect(totals).toMatchObject({ t: 5, viewers: 2, httpBytes: 1200, p2pBytes: 1800, stalls: 2, cpuPercent: 12 });
  });

  it('tells flat page memory from growing memory, leaving out joins and the first fill', () => {
    const run = (mbAt: (t: number) => number) =>
      memoryTrend(
        timeline(
          Array.from({ length: 300 }, (_, i) => ({
            t: i,
            viewers: Math.min(4, 1 + Math.floor(i / 3)),
            httpBytes: 0,
            p2pBytes: 0,
            stalls: 0,
            cpuPercent: null,
            pageMemoryMB: mbAt(i),
            pageHeapMB: mbAt(i) / 4,
          })),
        ),
      );
    // Flat after a startup climb, with garbage-collection sawtooth on top.
    const flat = run((t) => (t < 20 ? 40 + t : 60) + (t % 10 === 0 ? 3 : 0))!;
    expect(flat.fromS).toBe(39);
    expect(Math.abs(flat.slopeMBPerMin)).toBeLessThan(0.1);
    expect(flat.endMB).toBeCloseTo(60.3, 0);
    // A leak of 1 MB a minute shows as that.
    const leaking = run((t) => 60 + t / 60)!;
    expect(leaking.slopeMBPerMin).toBeCloseTo(1, 2);
    expect(leaking.heapSlopeMBPerMin).toBeCloseTo(0.25, 2);
    // Too short to tell.
    expect(
      memoryTrend(
        timeline([{ t: 0, viewers: 1, httpBytes: 0, p2pBytes: 0, stalls: 0, cpuPercent: null, pageMemoryMB: 50, pageHeapMB: 10 }]),
      ),
    ).toBeNull();
  });

  it('counts fetches per distinct segment path only', () => {
    expect(fetchesPerSegment(origin(0, { '/vod/s/v0/seg_00001.m4s': 3, '/vod/s/v0/init.mp4': 4, '/vod/s/master.m3u8': 8 }))).toEqual({
      requests: 3,
      distinct: 1,
      perSegment: 3,
    });
  });
});

describe('compare and thresholds', () => {
  it('computes on/off ratios and the origin bytes saved', () => {
    const on = aggregate(raw([page(0, metrics({ http: 100, p2p: 300 }))], origin(100, {})));
    const off = aggregate({ ...raw([page(0, metrics({ http: 400, p2p: 0 }))], origin(400, {})), label: 'P2P off' });
    const c = compareRuns(off, on);
    expect(c.ratios.originSegmentBytes).toBe(0.25);
    expect(c.savedOriginBytes).toBe(300);
    expect(c.savedOriginShare).toBeCloseTo(300 / 900, 3);
    expect(c.ok).toBe(true);
  });

  it('names the viewers that stalled more with P2P than their P2P-off twin', () => {
    const run = (stalls: number[], label: string) =>
      aggregate({
        ...raw(
          stalls.map((n, i) => page(i, metrics({ http: 100, p2p: 0, stalls: n, stallMs: 300 * n }))),
          undefined,
        ),
        label,
      });
    const c = compareRuns(run([0, 2, 1], 'P2P off'), run([1, 2, 0], 'P2P on'));
    expect(c.worseThanTwin).toEqual([{ index: 0, on: { stalls: 1, stallMs: 300 }, off: { stalls: 0, stallMs: 0 } }]);
    expect(compareRuns(run([1, 1], 'P2P off'), run([1, 0], 'P2P on')).worseThanTwin).toEqual([]);
  });

  it('flags a breached threshold, and an unmeasured one', () => {
    const r = aggregate(raw([page(0, metrics({ http: 100, p2p: 0 }))], origin(100, {})));
    const checks = checkThresholds(r, [
      { metric: 'offload', min: 0.3, why: 'x' },
      { metric: 'stalls', max: 1, why: 'y' },
      { metric: 'liveLatencyS', max: 10, why: 'z' },
    ]);
    expect(checks.map((c) => c.ok)).toEqual([false, true, false]);
  });
});

describe('runChecks: SDK and origin byte counts', () => {
  // 2 viewers, 10 000 B played, largest segment 300 B: at the freeze each may have one in flight.
  const perPeer = aggregate(raw([page(0, metrics({ http: 1, p2p: 0 })), page(1, metrics({ http: 1, p2p: 0 }))], undefined)).perPeer;
  const base = { httpBytes: 2000, p2pBytes: 8000, playerBytes: 10_000, largestSegmentBytes: 300, perPeer };
  const agreement = (originSegmentBytes: number) =>
    runChecks({ ...base, offload: 0.8, offloadByOrigin: 1 - originSegmentBytes / 10_000, originSegmentBytes }).find(
      (c) => c.name === 'offload-agreement',
    )!;

  it('lets the origin be ahead by one segment per viewer in flight (it counts at the socket, the SDK at the page)', () => {
    expect(agreement(2000 + 200 + 590).ok).toBe(true);
  });

  it('fails when the origin is ahead by more than that, or behind the SDK at all beyond 2 points', () => {
    expect(agreement(2000 + 200 + 610)).toMatchObject({ ok: false, severity: 'fail' });
    expect(agreement(2000 - 201).ok).toBe(false);
  });
});
