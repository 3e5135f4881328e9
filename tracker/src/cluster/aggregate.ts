/**
 * The cluster's /api/stats: every live node's own snapshot, summed. Pure. Viewers and bytes add
 * up because each viewer reports to, and is counted by, the one node holding its WebSocket. Time
 * series are merged per stats interval: nodes tick at different moments, so for each interval
 * every node contributes its latest point at or before it (cumulative bytes carry forward) and the
 * interval's offload is recomputed from the merged totals.
 */
import { LabelTally, sanitizeLabel } from '../stats/label.js';
import { COUNTER_FIELDS, zeroCounters, type Counters } from '../stats/report.js';
import { MAX_SWARMS_LISTED, type ApiStats } from '../stats/api.js';
import type { Point, Summary, SwarmSummary } from '../stats/store.js';
import type { RangeName, Totals } from '../stats/buckets.js';
import { addSwarmRanges, mergeRanges, zeroRanges } from './merge-ranges.js';

export interface NodeSnapshot {
  readonly node: string;
  /** The node's HTTP URL as it sees itself (behind a proxy, an internal address). */
  readonly url: string;
  readonly stats: ApiStats;
}

export interface NodeInfo {
  readonly node: string;
  readonly url: string;
  readonly self: boolean;
  /** Wall-clock ms of the node's snapshot. */
  readonly at: number;
  readonly connections: number;
  readonly peers: number;
  readonly announces: number;
}

export interface ClusterInfo {
  readonly nodeId: string;
  readonly redis: 'up' | 'down';
  readonly nodes: readonly NodeInfo[];
}

export type ClusterApiStats = ApiStats & { readonly cluster: ClusterInfo };

const offloadOf = (http: number, p2p: number) => (http + p2p > 0 ? p2p / (http + p2p) : null);

function summarize(c: Counters, viewers: number, reports: number): Summary {
  return { ...c, viewers, reports, offload: offloadOf(c.httpBytes, c.p2pBytes), bytesSaved: c.p2pBytes };
}

function addInto(into: Counters, from: Counters): void {
  for (const f of COUNTER_FIELDS) into[f] += from[f];
}

export function mergeSeries(all: readonly (readonly Point[])[], intervalMs: number, max: number): Point[] {
  const bucket = (p: Point) => Math.floor(p.t / intervalMs);
  const ids = [...new Set(all.flatMap((s) => s.map(bucket)))].sort((a, b) => a - b).slice(-max);
  const cursor = all.map(() => -1);
  const out: Point[] = [];
  for (const b of ids) {
    let t = 0;
    let viewers = 0;
    let httpBytes = 0;
    let p2pBytes = 0;
    all.forEach((s, i) => {
      let k = cursor[i]!;
      while (k + 1 < s.length && bucket(s[k + 1]!) <= b) k++;
      cursor[i] = k;
      const p = s[k];
      if (p === undefined) return;
      if (bucket(p) === b) t = Math.max(t, p.t);
      viewers += p.viewers;
      httpBytes += p.httpBytes;
      p2pBytes += p.p2pBytes;
    });
    const last = out[out.length - 1];
    const offload = offloadOf(httpBytes - (last?.httpBytes ?? 0), p2pBytes - (last?.p2pBytes ?? 0));
    out.push({ t, viewers, httpBytes, p2pBytes, offload });
  }
  return out;
}

export function mergeStats(
  self: string,
  redis: 'up' | 'down',
  snaps: readonly NodeSnapshot[],
  clusterSwarms: number | undefined,
): ClusterApiStats {
  const first = snaps.find((s) => s.node === self) ?? snaps[0]!;
  const intervalMs = first.stats.intervalMs;
  const overall = zeroCounters();
  let viewers = 0;
  let reports = 0;
  const swarms = new Map<
    string,
    { c: Counters; viewers: number; reports: number; labels: LabelTally; series: (readonly Point[])[]; ranges: Record<RangeName, Totals> }
  >();
  const rejections: Record<string, number> = {};
  const tracker = { connections: 0, swarms: 0, peers: 0, announces: 0, offersRelayed: 0, answersRelayed: 0 };
  for (const { stats: s } of snaps) {
    addInto(overall, s.overall);
    viewers += s.overall.viewers;
    reports += s.overall.reports;
    for (const k of Object.keys(tracker) as (keyof typeof tracker)[]) tracker[k] += s.tracker[k];
    for (const [k, v] of Object.entries(s.tracker.rejections)) rejections[k] = (rejections[k] ?? 0) + v;
    for (const w of s.swarms) {
      let e = swarms.get(w.swarm);
      if (e === undefined)
        swarms.set(
          w.swarm,
          (e = { c: zeroCounters(), viewers: 0, reports: 0, labels: new LabelTally(), series: [], ranges: zeroRanges() }),
        );
      addSwarmRanges(e.ranges, (w as Partial<SwarmSummary>).ranges);
      addInto(e.c, w);
      e.viewers += w.viewers;
      e.reports += w.reports;
      // Each node's label weighs as many as its reports; node snapshots are sanitized again all the same.
      const label = typeof w.label === 'string' ? sanitizeLabel(w.label) : undefined;
      if (label !== undefined) e.labels.vote(label, Math.max(1, w.reports));
      e.series.push(w.series);
    }
  }
  const swarmHistory = Math.max(2, ...snaps.flatMap((s) => s.stats.swarms.map((w) => w.series.length)));
  const swarmList: SwarmSummary[] = [...swarms]
    .map(([swarm, e]) => ({
      swarm,
      label: e.labels.label,
      ...summarize(e.c, e.viewers, e.reports),
      series: mergeSeries(e.series, intervalMs, swarmHistory),
      ranges: e.ranges,
    }))
    .sort((a, b) => b.viewers - a.viewers || b.httpBytes + b.p2pBytes - (a.httpBytes + a.p2pBytes))
    .slice(0, MAX_SWARMS_LISTED);
  // A swarm spread over several nodes is counted once when Redis can say so.
  if (clusterSwarms !== undefined) tracker.swarms = clusterSwarms;
  const history = Math.max(2, ...snaps.map((s) => s.stats.series.length));
  return {
    now: Date.now(),
    intervalMs,
    overall: { ...summarize(overall, viewers, reports), swarms: tracker.swarms },
    series: mergeSeries(
      snaps.map((s) => s.stats.series),
      intervalMs,
      history,
    ),
    ranges: mergeRanges(snaps.map((s) => (s.stats as Partial<ApiStats>).ranges)),
    cost: first.stats.cost ?? null,
    swarms: swarmList,
    tracker: { ...tracker, rejections },
    cluster: {
      nodeId: self,
      redis,
      nodes: snaps
        .map((s) => ({
          node: s.node,
          url: s.url,
          self: s.node === self,
          at: s.stats.now,
          connections: s.stats.tracker.connections,
          peers: s.stats.tracker.peers,
          announces: s.stats.tracker.announces,
        }))
        .sort((a, b) => a.node.localeCompare(b.node)),
    },
  };
}
