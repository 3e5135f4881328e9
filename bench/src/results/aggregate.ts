/**
 * From raw run data (every viewer's last metrics, the origin's counters, per-second totals) to
 * result.json. Pure: no I/O, no clock; unit-tested in bench/test/aggregate.test.ts.
 */
import { healthSummary, meanStrainedShare } from './health.js';
import { classifyPath, type OriginStats } from '@shoal/test-kit';
import { median } from '../run/page-metrics.js';
import type { PageSnapshot } from '../run/swarm-run.js';
import { summarizeProbes, type StartupProbes } from '../run/startup-probes.js';
import { memoryTrend } from './memory-trend.js';
import { round } from './round.js';
import { runChecks } from './run-checks.js';
import { attributeStalls, countCauses, perViewerMinute, watchedMinutes, type AttributedStall } from './stalls.js';
import type { BenchResult, CpuSummary, NodeWorkerStats, PeerResult, RunParams, TimelinePoint } from './types.js';

/** Seconds over which TimelinePoint.recentOffload is computed. */
const RECENT_S = 5;
const MAX_ERRORS_KEPT = 5;

/** Per-second totals over all viewers (departed ones with their last numbers). */
export interface TickTotals {
  readonly t: number;
  readonly viewers: number;
  readonly httpBytes: number;
  readonly p2pBytes: number;
  readonly stalls: number;
  readonly cpuPercent: number | null;
  /** Median over the pages still open: renderer PSS (JS heap where PSS is unknown), and JS heap, MB. */
  readonly pageMemoryMB?: number | null;
  readonly pageHeapMB?: number | null;
  /** Median over open pages of the bytes Shoal's segment store holds, MB. */
  readonly pageStoreMB?: number | null;
}

export interface RawRun {
  readonly label: string;
  readonly startedAt: string;
  readonly params: RunParams;
  readonly pages: readonly PageSnapshot[];
  readonly origin: OriginStats | undefined;
  readonly elapsedS: number;
  readonly ticks: readonly TickTotals[];
  readonly cores: number;
  readonly nodeWorkers?: readonly NodeWorkerStats[];
  readonly startupProbes?: StartupProbes;
}

export function tickTotals(t: number, pages: readonly PageSnapshot[], cpuPercent: number | null): TickTotals {
  let httpBytes = 0;
  let p2pBytes = 0;
  let stalls = 0;
  let viewers = 0;
  for (const page of pages) {
    const shoal = page.metrics.shoal;
    httpBytes += shoal?.httpBytes ?? 0;
    p2pBytes += shoal?.p2pBytes ?? 0;
    stalls += shoal?.stalls ?? page.metrics.waiting;
    if (page.closedAtS === undefined) viewers++;
  }
  const open = pages.filter((p) => p.kind === 'page' && p.closedAtS === undefined);
  const mid = (values: Array<number | undefined>) => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length ? median(known) : null;
  };
  const pageMemoryMB = mid(open.map((p) => p.processMB ?? p.heapMB));
  const pageHeapMB = mid(open.map((p) => p.heapMB));
  const pageStoreMB = mid(open.map((p) => (p.metrics.shoal?.storeBytes === undefined ? undefined : p.metrics.shoal.storeBytes / 1e6)));
  return { t, viewers, httpBytes, p2pBytes, stalls, cpuPercent, pageMemoryMB, pageHeapMB, pageStoreMB };
}

export function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/**
 * One viewer's numbers. Memory and CPU: the page's renderer process when it could be measured
 * (PSS, all threads), else its JS heap and main-thread task time; node peers: their share of
 * their worker process.
 */
export function peerResult(page: PageSnapshot, live = true, endS = Infinity): PeerResult {
  const m = page.metrics;
  const memoryMB = page.processMB ?? page.heapMB;
  const cpuS = page.processCpuS ?? page.cpuS;
  const shoal = m.shoal;
  const httpBytes = shoal?.httpBytes ?? 0;
  const p2pBytes = shoal?.p2pBytes ?? 0;
  const startupMs = m.firstFrameMs === null ? null : Math.round(m.firstFrameMs);
  return {
    index: page.index,
    kind: page.kind ?? 'page',
    joinedAtS: round(page.joinedAtS, 2),
    closedAtS: page.closedAtS === undefined ? null : round(page.closedAtS, 2),
    httpBytes,
    p2pBytes,
    uploadBytes: shoal?.uploadBytes ?? 0,
    rejectedBytes: shoal?.rejectedBytes ?? 0,
    playerBytes: m.fragBytes,
    segments: m.fragCount,
    offload: ratio(p2pBytes, httpBytes + p2pBytes),
    stalls: shoal?.stalls ?? m.waiting,
    stallMs: Math.round(shoal?.stallMs ?? 0),
    watchedMin: round(watchedMinutes({ joinedAtS: page.joinedAtS, closedAtS: page.closedAtS ?? null, startupMs }, endS), 3),
    startupMs,
    liveLatencyS: live && m.latencyS.length ? round(median(m.latencyS), 2) : null,
    memoryMB: memoryMB === undefined ? null : round(memoryMB, 1),
    cpuS: cpuS === undefined ? null : round(cpuS, 2),
    connections: shoal?.peers ?? 0,
    peerConnectionsBuilt: m.built?.RTCPeerConnection ?? null,
    peerConnectionsOffered: m.built?.offers ?? null,
    peerConnectionsConnected: m.built?.connected ?? null,
    peerDisconnects: m.disconnects ?? null,
    levels: [...new Set(m.levels)].sort((a, b) => a - b),
    fatalErrors: m.fatalErrors,
    errors: m.errors.slice(0, MAX_ERRORS_KEPT),
    errorCount: m.errors.length,
    health: healthSummary(m.healthLog, Number.isFinite(endS) ? (Math.min(endS, page.closedAtS ?? endS) - page.joinedAtS) * 1000 : Infinity),
  };
}

/** A viewer's stalls, each joined with its segment log: which fragment was late, from where, and why. */
export function peerStalls(page: PageSnapshot): AttributedStall[] {
  return attributeStalls(page.metrics.stallLog ?? [], page.metrics.segments ?? []);
}

export function timeline(ticks: readonly TickTotals[]): TimelinePoint[] {
  return ticks.map((tick, i) => {
    let j = i;
    while (j > 0 && tick.t - ticks[j - 1]!.t <= RECENT_S) j--;
    const from = ticks[j]!;
    const dHttp = tick.httpBytes - from.httpBytes;
    const dP2p = tick.p2pBytes - from.p2pBytes;
    return {
      t: round(tick.t, 1),
      viewers: tick.viewers,
      httpBytes: tick.httpBytes,
      p2pBytes: tick.p2pBytes,
      offload: round(ratio(tick.p2pBytes, tick.httpBytes + tick.p2pBytes), 4),
      recentOffload: j < i && dHttp + dP2p > 0 ? round(dP2p / (dHttp + dP2p), 4) : null,
      stalls: tick.stalls,
      cpuPercent: tick.cpuPercent === null ? null : round(tick.cpuPercent, 1),
      pageMemoryMB: tick.pageMemoryMB == null ? null : round(tick.pageMemoryMB, 1),
      pageHeapMB: tick.pageHeapMB == null ? null : round(tick.pageHeapMB, 1),
      pageStoreMB: tick.pageStoreMB == null ? null : round(tick.pageStoreMB, 1),
    };
  });
}

/** Origin segment requests per distinct segment path, over what the origin served. */
export function fetchesPerSegment(origin: OriginStats): { requests: number; distinct: number; perSegment: number | null } {
  let requests = 0;
  let distinct = 0;
  for (const [path, count] of Object.entries(origin.byPath)) {
    if (classifyPath(path) !== 'segment' || count.requests === 0) continue;
    requests += count.requests;
    distinct++;
  }
  return { requests, distinct, perSegment: distinct > 0 ? round(requests / distinct, 3) : null };
}

/** Bytes of the largest segment the origin served (one response of it). */
export function largestSegment(origin: OriginStats): number {
  let largest = 0;
  for (const [path, count] of Object.entries(origin.byPath)) {
    if (classifyPath(path) === 'segment' && count.requests > 0) largest = Math.max(largest, count.bytes / count.requests);
  }
  return Math.round(largest);
}

export function aggregate(raw: RawRun): BenchResult {
  const live = raw.params.mode === 'live';
  const perPeer = raw.pages.map((page) => peerResult(page, live, raw.elapsedS));
  const sum = (pick: (p: PeerResult) => number) => perPeer.reduce((total, p) => total + pick(p), 0);
  const httpBytes = sum((p) => p.httpBytes);
  const p2pBytes = sum((p) => p.p2pBytes);
  const playerBytes = sum((p) => p.playerBytes);
  const offload = ratio(p2pBytes, httpBytes + p2pBytes);
  const originSegmentBytes = raw.origin?.byKind.segment.bytes ?? null;
  const offloadByOrigin = originSegmentBytes === null || playerBytes === 0 ? null : 1 - originSegmentBytes / playerBytes;
  const fetches = raw.origin ? fetchesPerSegment(raw.origin) : undefined;
  const largestSegmentBytes = raw.origin ? largestSegment(raw.origin) : 0;
  const startups = perPeer.flatMap((p) => (p.startupMs === null ? [] : [p.startupMs]));
  const latencies = live ? raw.pages.flatMap((p) => p.metrics.latencyS) : [];
  const cpuTicks = raw.ticks.flatMap((t) => (t.cpuPercent === null ? [] : [t.cpuPercent]));
  const cpuS = perPeer.flatMap((p) => (p.cpuS === null ? [] : [p.cpuS]));
  const memory = perPeer.flatMap((p) => (p.memoryMB === null ? [] : [p.memoryMB]));
  const viewers = perPeer.length;
  const stalls = sum((p) => p.stalls);
  const viewerMinutes = sum((p) => p.watchedMin);
  const spvm = perViewerMinute(stalls, viewerMinutes);
  const points = timeline(raw.ticks);
  const cpu: CpuSummary = {
    cores: raw.cores,
    avgPercent: cpuTicks.length ? round(cpuTicks.reduce((a, b) => a + b, 0) / cpuTicks.length, 1) : null,
    peakPercent: cpuTicks.length ? round(Math.max(...cpuTicks), 1) : null,
    perPeerCpuSMedian: cpuS.length ? round(median(cpuS), 2) : null,
  };
  const nodeWorkers = (raw.nodeWorkers ?? []).map((w) => ({
    ...w,
    cpuS: round(w.cpuS, 2),
    heapMB: round(w.heapMB, 1),
    rssMB: round(w.rssMB, 1),
  }));
  const checks = runChecks({
    offload,
    offloadByOrigin,
    httpBytes,
    p2pBytes,
    playerBytes,
    originSegmentBytes,
    largestSegmentBytes,
    perPeer,
    nodeWorkers,
  });
  return {
    kind: 'run',
    ok: checks.every((c) => c.ok || c.severity !== 'fail'),
    startedAt: raw.startedAt,
    label: raw.label,
    params: raw.params,
    mode: raw.params.mode,
    peers: viewers,
    durationS: raw.params.durationS,
    elapsedS: round(raw.elapsedS, 1),
    originBytes: raw.origin?.bytes ?? null,
    originSegmentBytes,
    originSegmentRequests: fetches?.requests ?? null,
    originFetchesPerSegment: fetches?.perSegment ?? null,
    httpBytes,
    p2pBytes,
    uploadBytes: sum((p) => p.uploadBytes),
    rejectedBytes: sum((p) => p.rejectedBytes),
    playerBytes,
    offload: round(offload, 4),
    offloadByOrigin: offloadByOrigin === null ? null : round(offloadByOrigin, 4),
    offloadLimit: viewers > 0 ? round((viewers - 1) / viewers, 4) : 0,
    stalls,
    stallMs: sum((p) => p.stallMs),
    stalledS: round(sum((p) => p.stallMs) / 1000, 1),
    viewerMinutes: round(viewerMinutes, 2),
    stallsPerViewerMinute: spvm === null ? null : round(spvm, 3),
    strainedShare: meanStrainedShare(perPeer.map((p) => p.health)),
    stallCauses: countCauses(raw.pages.flatMap(peerStalls)),
    startupMsMedian: startups.length ? Math.round(median(startups)) : null,
    startupMsMax: startups.length ? Math.max(...startups) : null,
    neverStarted: perPeer.filter((p) => p.startupMs === null).length,
    fatalErrors: sum((p) => p.fatalErrors.length),
    liveLatencyS: latencies.length ? round(median(latencies), 2) : null,
    cpu,
    memoryPerPageMB: memory.length ? round(median(memory), 1) : null,
    nodeWorkers,
    perPeer,
    timeline: points,
    memoryTrend: memoryTrend(points),
    startupProbes: raw.startupProbes ? summarizeProbes(raw.startupProbes) : null,
    checks,
  };
}
