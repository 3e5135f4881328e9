import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregate, type RawRun } from '../src/results/aggregate.js';
import { compareRuns } from '../src/results/compare.js';
import { renderInChromium } from '../src/results/report-check.js';
import { renderReport } from '../src/results/report-html.js';
import type { PageMetrics } from '../src/run/page-metrics.js';
import type { PageSnapshot } from '../src/run/swarm-run.js';

function viewer(index: number, http: number, p2p: number, kind: 'page' | 'node' = 'page'): PageSnapshot {
  const metrics: PageMetrics = {
    firstFrameMs: 300 + 50 * index,
    waiting: index % 2,
    bufferStalledErrors: 0,
    fatalErrors: [],
    errors: [],
    fragBytes: http + p2p,
    fragCount: 20,
    levels: [1],
    levelSwitches: [],
    latencyS: [6 + index / 10, 6.2],
    shoal: {
      httpBytes: http,
      p2pBytes: p2p,
      uploadBytes: p2p / 2,
      rejectedBytes: 0,
      peers: 3,
      segmentsFromHttp: 2,
      segmentsFromPeers: 18,
      stalls: index % 2,
      stallMs: 400 * (index % 2),
      playingMs: 50_000,
    },
  };
  if (index === 1) {
    metrics.stallLog = [{ t: 20_000, endT: 20_400, pos: 19, level: 1, sn: 9, requestedAtMs: 19_000 }];
    metrics.segments = [{ t: 20_300, track: 1, seq: 9, source: 'http', ms: 1300, plan: 'p2p', why: 'deadline', buffer: 0 }];
  }
  return {
    index,
    kind,
    joinedAtS: 3 * index,
    closedAtS: index === 0 ? 30 : undefined,
    metrics,
    heapMB: 5,
    cpuS: 2,
    processMB: 70,
    processCpuS: 4,
  };
}

function run(p2p: boolean): RawRun {
  const viewers = [0, 1, 2, 3].map((i) =>
    p2p ? viewer(i, i === 0 ? 4e6 : 1e6, i === 0 ? 0 : 3e6, i > 2 ? 'node' : 'page') : viewer(i, 4e6, 0),
  );
  const segmentBytes = viewers.reduce((n, v) => n + v.metrics.shoal!.httpBytes, 0);
  const zero = { requests: 0, bytes: 0 };
  return {
    label: p2p ? 'P2P on' : 'P2P off',
    startedAt: '2026-01-01T00:00:00.000Z',
    params: {
      mode: 'live',
      pages: 3,
      nodePeers: 1,
      durationS: 60,
      staggerS: 3,
      p2p,
      churn: 0.25,
      streamUrl: 'http://127.0.0.1:1/live/sample/master.m3u8',
    },
    pages: viewers,
    origin: {
      requests: 40,
      bytes: segmentBytes + 9000,
      byKind: {
        playlist: { requests: 30, bytes: 9000 },
        init: zero,
        segment: { requests: 10, bytes: segmentBytes },
        key: zero,
        other: zero,
      },
      byPath: { '/live/sample/v1/seg-1.m4s': { requests: 1, bytes: 1 } },
      since: 0,
    },
    elapsedS: 60,
    ticks: Array.from({ length: 60 }, (_, t) => ({
      t: t + 1,
      viewers: Math.min(4, 1 + Math.floor(t / 3)),
      httpBytes: 1e5 * (t + 1),
      p2pBytes: p2p ? 2e5 * t : 0,
      stalls: 0,
      cpuPercent: 40 + (t % 7),
      pageMemoryMB: 60 + (t % 5),
      pageHeapMB: 4,
      pageStoreMB: Math.min(20, t / 2),
    })),
    cores: 2,
  };
}

describe('report.html in Chromium', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoal-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a single run: every chart has data, no script error', async () => {
    const file = path.join(dir, 'run.html');
    writeFileSync(file, renderReport(aggregate(run(true))));
    const report = await renderInChromium(
      file,
      process.env.SHOAL_REPORT_SCREENSHOT ? path.join(process.env.SHOAL_REPORT_SCREENSHOT, 'run.png') : undefined,
    );
    expect(report.errors).toEqual([]);
    expect(report.charts.map((c) => c.title)).toEqual([
      'Offload over time',
      'Bytes by source per viewer',
      'Startup per viewer',
      'Stalls per viewer',
      'Live latency per viewer',
      'Machine CPU over time',
      'Page memory over time',
    ]);
    for (const chart of report.charts) expect(chart.points, chart.title).toBeGreaterThan(0);
    expect(report.tables).toBeGreaterThanOrEqual(3);
    // 2 stalls over (30 - 0.3) + (60 - 3.35) + (60 - 6.4) + (60 - 9.45) s watched; the one the player recorded was late from HTTP.
    expect(report.cards).toContain('stalls per viewer-minute: 0.630 (3.2 viewer-min watched)');
    expect(report.cards).toContain('why they stalled (segments.json has each): 1 late-delivery (1 http)');
  });

  it('leaves out what has no data (stalls chart without stalls, live latency for VOD)', async () => {
    const live = run(true);
    const vod: RawRun = {
      ...live,
      params: { ...live.params, mode: 'vod' },
      pages: live.pages.map((v) => {
        const { stallLog: _stalls, ...rest } = v.metrics;
        return {
          ...v,
          metrics: {
            ...rest,
            latencyS: [],
            waiting: 0,
            shoal: { ...v.metrics.shoal!, stalls: 0, stallMs: 0 },
            errors: v.index === 1 ? ['fragLoadError: 404'] : [],
          },
        };
      }),
    };
    const file = path.join(dir, 'vod.html');
    writeFileSync(file, renderReport(aggregate(vod)));
    const report = await renderInChromium(file);
    expect(report.errors).toEqual([]);
    expect(report.charts.map((c) => c.title)).toEqual([
      'Offload over time',
      'Bytes by source per viewer',
      'Startup per viewer',
      'Machine CPU over time',
      'Page memory over time',
    ]);
    expect(report.cards.some((c) => c.startsWith('live latency'))).toBe(false);
  });

  it('renders --compare with both runs side by side', async () => {
    const file = path.join(dir, 'compare.html');
    writeFileSync(file, renderReport(compareRuns(aggregate(run(false)), aggregate(run(true)))));
    const report = await renderInChromium(
      file,
      process.env.SHOAL_REPORT_SCREENSHOT ? path.join(process.env.SHOAL_REPORT_SCREENSHOT, 'compare.png') : undefined,
    );
    expect(report.errors).toEqual([]);
    expect(report.charts.slice(0, 2).map((c) => c.title)).toEqual(['Origin bytes, P2P off vs on', 'HTTP bytes over time (all viewers)']);
    expect(report.charts).toHaveLength(2 + 2 * 7);
    for (const chart of report.charts) expect(chart.points, chart.title).toBeGreaterThan(0);
  });
});
