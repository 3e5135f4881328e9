/**
 * What a simulation run measured, from the viewers' results and the origin's counts: pure, so
 * every number in result.json is unit-tested on plain inputs.
 */
import type { ViewerResult } from './sim-viewer.js';

export interface SimSummary {
  readonly viewers: number;
  /** Share of segment bytes viewers got from peers. */
  readonly offload: number;
  /**
   * The best offload this run allowed: every distinct segment leaves the origin once, and peers
   * can upload no more than their uplinks carry over the time they watched.
   */
  readonly offloadLimit: number;
  readonly offloadLimitByCopies: number;
  readonly offloadLimitByUplink: number;
  readonly originFetchesPerSegment: number | null;
  readonly stallsPerViewerMinute: number;
  readonly stalledSPerViewerMinute: number;
  readonly startupMedianMs: number | null;
  readonly startupP95Ms: number | null;
  readonly liveLatencyMedianS: number | null;
  /** Upload per viewer while watching, in multiples of the bitrate. */
  readonly uploadX: { readonly p50: number; readonly p95: number; readonly max: number };
}

export interface SummaryInput {
  readonly results: readonly ViewerResult[];
  readonly fetchesBySeq: ReadonlyMap<number, number>;
  /** Each viewer's uplink (bits/s), by id. */
  readonly uplinkBps: ReadonlyMap<string, number>;
  readonly bitrate: number;
  readonly endMs: number;
}

export function summarize(input: SummaryInput): SimSummary {
  const { results, bitrate } = input;
  let http = 0;
  let p2p = 0;
  let stalls = 0;
  let stalledMs = 0;
  let watchedMs = 0;
  let uplinkCapacity = 0;
  const uploadX: number[] = [];
  for (const r of results) {
    http += r.httpBytes;
    p2p += r.p2pBytes;
    stalls += r.stalls;
    stalledMs += r.stallMs;
    const watched = r.playingMs + r.stallMs;
    watchedMs += watched;
    const presentMs = (r.leftAt ?? input.endMs) - r.joinedAt;
    uplinkCapacity += ((input.uplinkBps.get(r.id) ?? 0) * presentMs) / 8000;
    if (presentMs > 0) uploadX.push((r.uploadBytes * 8000) / presentMs / bitrate);
  }
  const total = http + p2p;
  let fetches = 0;
  for (const count of input.fetchesBySeq.values()) fetches += count;
  const distinct = input.fetchesBySeq.size;
  const meanSegment = distinct > 0 ? http / Math.max(fetches, 1) : 0;
  const byCopies = total > 0 ? Math.max(0, 1 - (distinct * meanSegment) / total) : 0;
  const byUplink = total > 0 ? Math.min(1, uplinkCapacity / total) : 0;
  const minutes = watchedMs / 60_000;
  const startups = results.flatMap((r) => (r.startupMs === null ? [] : [r.startupMs]));
  const latencies = results.flatMap((r) => (r.latencyS.length > 0 ? [median(r.latencyS)!] : []));
  uploadX.sort((a, b) => a - b);
  return {
    viewers: results.length,
    offload: total > 0 ? p2p / total : 0,
    offloadLimit: Math.min(byCopies, byUplink),
    offloadLimitByCopies: byCopies,
    offloadLimitByUplink: byUplink,
    originFetchesPerSegment: distinct > 0 ? fetches / distinct : null,
    stallsPerViewerMinute: minutes > 0 ? stalls / minutes : 0,
    stalledSPerViewerMinute: minutes > 0 ? stalledMs / 1000 / minutes : 0,
    startupMedianMs: median(startups),
    startupP95Ms: quantile(startups, 0.95),
    liveLatencyMedianS: median(latencies),
    uploadX: { p50: quantile(uploadX, 0.5) ?? 0, p95: quantile(uploadX, 0.95) ?? 0, max: uploadX.at(-1) ?? 0 },
  };
}

export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in [0, 1]); null for no values. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
