/**
 * Aggregated offload stats: totals overall and per swarm, and bounded time series (one point per
 * stats interval) for the dashboard. Per-swarm entries are bounded too; the least recently active
 * is dropped first, and an entry with no viewers and no reports for a whole series span goes away.
 */
import { RangeSet, RANGE_NAMES, type Bucket, type RangeName, type Totals } from './buckets.js';
import { LabelTally, sanitizeLabel } from './label.js';
import { addQoe, addStartup, parseQoe, zeroQoe, type Qoe } from './qoe-counts.js';
import { COUNTER_FIELDS, zeroCounters, type Counters } from './report.js';

export interface Point {
  /** Wall-clock ms. */
  readonly t: number;
  readonly viewers: number;
  /** Cumulative bytes at t. */
  readonly httpBytes: number;
  readonly p2pBytes: number;
  /** Share of bytes from peers during the interval ending at t (0..1), null without traffic. */
  readonly offload: number | null;
}

interface Entry {
  readonly totals: Counters;
  readonly series: Point[];
  readonly labels: LabelTally;
  /** The dashboard's time ranges (buckets.ts). */
  readonly ranges: RangeSet;
  lastActive: number;
  reports: number;
}

/** What a report tells the time ranges besides its byte and playback deltas. */
export interface ReportQoe {
  /** The session had peers (peers > 0, or bytes from peers since its previous report). */
  readonly peered: boolean;
  /** Startup times it reported (accepted ones only). */
  readonly startupMs: readonly number[];
}

export interface Summary extends Counters {
  readonly viewers: number;
  readonly reports: number;
  /** p2pBytes / (httpBytes + p2pBytes), null before any bytes. */
  readonly offload: number | null;
  /** Bytes the origin did not have to serve (= p2pBytes). */
  readonly bytesSaved: number;
}

export interface SwarmSummary extends Summary {
  readonly swarm: string;
  /** The stream's human name as its viewers report it (sanitized, plain text), null before any. */
  readonly label: string | null;
  readonly series: readonly Point[];
  /** Sums over each time range (viewers: the peak). */
  readonly ranges: Readonly<Record<RangeName, Totals>>;
}

interface SavedSwarm {
  readonly totals: Counters;
  readonly series: readonly Point[];
  readonly reports: number;
  readonly label?: string | null;
  /** Absent in files saved before the time ranges. */
  readonly ranges?: unknown;
}

export interface SavedStore {
  readonly overall: Counters;
  readonly reports: number;
  readonly series: readonly Point[];
  readonly swarms: Readonly<Record<string, SavedSwarm>>;
  /** Absent in files saved before the time ranges. */
  readonly ranges?: unknown;
  readonly split?: unknown;
}

function offloadOf(http: number, p2p: number): number | null {
  return http + p2p > 0 ? p2p / (http + p2p) : null;
}

function nextPoint(series: readonly Point[], t: number, viewers: number, c: Counters): Point {
  const last = series[series.length - 1];
  const dh = c.httpBytes - (last?.httpBytes ?? 0);
  const dp = c.p2pBytes - (last?.p2pBytes ?? 0);
  return { t, viewers, httpBytes: c.httpBytes, p2pBytes: c.p2pBytes, offload: offloadOf(dh, dp) };
}

function push(series: Point[], p: Point, max: number): void {
  series.push(p);
  if (series.length > max) series.splice(0, series.length - max);
}

export class StatsStore {
  readonly overall: Counters = zeroCounters();
  reports = 0;
  private readonly series: Point[] = [];
  private readonly swarms = new Map<string, Entry>();
  /** The whole tracker's time ranges. */
  readonly ranges = new RangeSet();
  /** Viewing since start (and restored), by whether the viewer had peers: /metrics' `peers` label. */
  readonly split: { readonly peered: Qoe; readonly alone: Qoe } = { peered: zeroQoe(), alone: zeroQoe() };

  constructor(
    private readonly history: number,
    private readonly swarmHistory: number,
    private readonly maxSwarms: number,
    private readonly intervalMs: number,
  ) {}

  get swarmCount(): number {
    return this.swarms.size;
  }

  /** `label`: the reporting session's vote for the swarm's name (its first report only). */
  add(swarm: string, delta: Counters, now: number, label?: string, qoe: ReportQoe = { peered: false, startupMs: [] }): void {
    for (const f of COUNTER_FIELDS) this.overall[f] += delta[f];
    this.reports++;
    recordReport(this.ranges, now, delta, qoe);
    recordQoe(qoe.peered ? this.split.peered : this.split.alone, delta, qoe);
    const e = this.entry(swarm, now);
    if (e === undefined) return;
    for (const f of COUNTER_FIELDS) e.totals[f] += delta[f];
    e.reports++;
    e.lastActive = now;
    if (label !== undefined) e.labels.vote(label);
    recordReport(e.ranges, now, delta, qoe);
  }

  /** Appends one point to every series. `live` lists swarms with viewers now (hex id, count). */
  tick(now: number, totalViewers: number, live: Iterable<readonly [string, number]>): void {
    push(this.series, nextPoint(this.series, now, totalViewers, this.overall), this.history);
    this.ranges.viewers(now, totalViewers);
    const viewers = new Map<string, number>();
    for (const [id, n] of live) {
      viewers.set(id, n);
      const e = this.entry(id, now);
      if (e !== undefined) e.lastActive = now;
    }
    const span = this.swarmHistory * this.intervalMs;
    for (const [id, e] of this.swarms) {
      if (now - e.lastActive > span) {
        this.swarms.delete(id);
        continue;
      }
      push(e.series, nextPoint(e.series, now, viewers.get(id) ?? 0, e.totals), this.swarmHistory);
      e.ranges.viewers(now, viewers.get(id) ?? 0);
    }
  }

  summary(viewers: number): Summary {
    return summarize(this.overall, viewers, this.reports);
  }

  overallSeries(): readonly Point[] {
    return this.series;
  }

  /** A swarm's label (null before any, or for a swarm not kept). */
  labelOf(swarm: string): string | null {
    return this.swarms.get(swarm)?.labels.label ?? null;
  }

  /** One swarm's buckets in a range (empty for a swarm not kept). */
  swarmBuckets(swarm: string, range: RangeName, now: number): readonly Bucket[] {
    return this.swarms.get(swarm)?.ranges.list(range, now) ?? [];
  }

  /** Per-swarm summaries, most viewers first. */
  swarmSummaries(viewersOf: (swarm: string) => number, now = Date.now()): SwarmSummary[] {
    const out: SwarmSummary[] = [];
    for (const [swarm, e] of this.swarms) {
      const ranges = {} as Record<RangeName, Totals>;
      for (const name of RANGE_NAMES) ranges[name] = e.ranges.totals(name, now);
      out.push({ swarm, label: e.labels.label, ...summarize(e.totals, viewersOf(swarm), e.reports), series: e.series, ranges });
    }
    return out.sort((a, b) => b.viewers - a.viewers || b.httpBytes + b.p2pBytes - (a.httpBytes + a.p2pBytes));
  }

  save(now = Date.now()): SavedStore {
    const swarms: Record<string, SavedSwarm> = {};
    for (const [id, e] of this.swarms)
      swarms[id] = { totals: e.totals, series: e.series, reports: e.reports, label: e.labels.label, ranges: e.ranges.save(now) };
    return { overall: this.overall, reports: this.reports, series: this.series, swarms, ranges: this.ranges.save(now), split: this.split };
  }

  restore(saved: SavedStore, now: number): void {
    addCounters(this.overall, saved.overall);
    this.reports += saved.reports;
    for (const p of saved.series) push(this.series, p, this.history);
    this.ranges.restore(saved.ranges, now);
    const split = saved.split as { peered?: unknown; alone?: unknown } | undefined;
    for (const side of ['peered', 'alone'] as const) {
      const q = parseQoe(split?.[side]);
      if (q !== undefined) addQoe(this.split[side], q);
    }
    for (const [id, s] of Object.entries(saved.swarms)) {
      if (!/^[0-9a-f]{40}$/.test(id)) continue;
      const e = this.entry(id, now);
      if (e === undefined) break;
      addCounters(e.totals, s.totals);
      e.reports += s.reports;
      const label = typeof s.label === 'string' ? sanitizeLabel(s.label) : undefined;
      if (label !== undefined) e.labels.vote(label);
      for (const p of s.series) push(e.series, p, this.swarmHistory);
      e.ranges.restore(s.ranges, now);
    }
  }

  private entry(swarm: string, now: number): Entry | undefined {
    let e = this.swarms.get(swarm);
    if (e !== undefined) return e;
    if (this.swarms.size >= this.maxSwarms) {
      let oldestId: string | undefined;
      let oldest = Infinity;
      for (const [id, x] of this.swarms) {
        if (x.lastActive < oldest) {
          oldest = x.lastActive;
          oldestId = id;
        }
      }
      if (oldestId === undefined || oldest >= now) return undefined;
      this.swarms.delete(oldestId);
    }
    e = { totals: zeroCounters(), series: [], labels: new LabelTally(), ranges: new RangeSet(), lastActive: now, reports: 0 };
    this.swarms.set(swarm, e);
    return e;
  }
}

/** A report's deltas into the bucket of `now` of each range, on the peered or alone side. */
function recordReport(ranges: RangeSet, now: number, d: Counters, qoe: ReportQoe): void {
  ranges.record(now, (b) => {
    b.httpBytes += d.httpBytes;
    b.p2pBytes += d.p2pBytes;
    b.uploadBytes += d.uploadBytes;
    recordQoe(qoe.peered ? b.peered : b.alone, d, qoe);
  });
}

function recordQoe(side: Qoe, d: Counters, qoe: ReportQoe): void {
  side.stalls += d.stalls;
  side.stallMs += d.stallMs;
  side.playingMs += d.playingMs;
  for (const ms of qoe.startupMs) addStartup(side, ms);
}

function summarize(c: Counters, viewers: number, reports: number): Summary {
  return { ...c, viewers, reports, offload: offloadOf(c.httpBytes, c.p2pBytes), bytesSaved: c.p2pBytes };
}

function addCounters(into: Counters, from: Counters): void {
  for (const f of COUNTER_FIELDS) {
    const v = from[f];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) into[f] += v;
  }
}
