/**
 * What the dashboard shows for one time range and scope (the whole tracker or one swarm), derived
 * from the raw buckets (buckets.ts): points with null where no bucket exists (a gap, drawn as a
 * gap), offload null where nothing flowed (never a fake 0 %), money saved from the configured
 * egress price, and quality of experience split by whether viewers had peers. Pure.
 */
import { RANGES, sumBuckets, type Bucket, type RangeName, type Totals } from './buckets.js';
import { addQoe, rebufferingRatio, stallsPerViewerHour, startupQuantile, zeroQoe, type Qoe } from './qoe-counts.js';

/** The egress price an operator pays its CDN or origin, per GB (10^9 bytes). */
export interface EgressCost {
  readonly perGb: number;
  readonly currency: string;
}

export interface QoeView {
  readonly startupP50Ms: number | null;
  readonly startupP95Ms: number | null;
  readonly startups: number;
  /** Stalled / (playing + stalled), null without watching time. */
  readonly rebufferingRatio: number | null;
  /** Null below one minute of playing. */
  readonly stallsPerViewerHour: number | null;
  readonly playingHours: number;
}

export interface RangeSummary {
  /** Most viewers at one moment in the range. */
  readonly peakViewers: number;
  readonly httpBytes: number;
  readonly p2pBytes: number;
  /** Origin bytes saved (= bytes from peers). */
  readonly bytesSaved: number;
  readonly offload: number | null;
  /** bytesSaved at the egress price, null without --egress-cost-per-gb. */
  readonly moneySaved: number | null;
  readonly qoe: QoeView;
  readonly withPeers: QoeView;
  /** Viewers without peers (alone in a swarm, backed off, or unable to connect); null when there were none. */
  readonly withoutPeers: QoeView | null;
  /** Share of playing time without peers, null without playing time. */
  readonly withoutPeersShare: number | null;
}

export interface RangePoint {
  /** Start of the bucket (wall-clock ms). */
  readonly t: number;
  /** Null: no data for this bucket (a gap). */
  readonly viewers: number | null;
  readonly offload: number | null;
  readonly bytesSaved: number | null;
  readonly startupP50Ms: number | null;
  readonly startupP95Ms: number | null;
  readonly rebufferingRatio: number | null;
}

export interface RangeView {
  readonly range: RangeName;
  readonly bucketMs: number;
  /** First and last bucket start shown. */
  readonly from: number;
  readonly to: number;
  readonly cost: EgressCost | null;
  /** '' for the whole tracker, else the swarm's hex id. */
  readonly scope: string;
  readonly summary: RangeSummary;
  /** One per bucket from `from` to `to`, oldest first. */
  readonly points: readonly RangePoint[];
}

const offloadOf = (http: number, p2p: number) => (http + p2p > 0 ? p2p / (http + p2p) : null);

export function moneyOf(bytes: number, cost: EgressCost | null): number | null {
  return cost === null ? null : (bytes / 1e9) * cost.perGb;
}

export function qoeView(q: Qoe): QoeView {
  return {
    startupP50Ms: startupQuantile(q.startup, 0.5),
    startupP95Ms: startupQuantile(q.startup, 0.95),
    startups: q.startup.reduce((a, b) => a + b, 0),
    rebufferingRatio: rebufferingRatio(q),
    stallsPerViewerHour: stallsPerViewerHour(q),
    playingHours: q.playingMs / 3_600_000,
  };
}

function both(t: Totals): Qoe {
  const q = zeroQoe();
  addQoe(q, t.peered);
  addQoe(q, t.alone);
  return q;
}

export function summarizeRange(t: Totals, cost: EgressCost | null): RangeSummary {
  const all = both(t);
  const aloneSeen = t.alone.playingMs + t.alone.stallMs > 0 || t.alone.startup.some((n) => n > 0);
  const watched = all.playingMs + all.stallMs;
  return {
    peakViewers: t.viewers,
    httpBytes: t.httpBytes,
    p2pBytes: t.p2pBytes,
    bytesSaved: t.p2pBytes,
    offload: offloadOf(t.httpBytes, t.p2pBytes),
    moneySaved: moneyOf(t.p2pBytes, cost),
    qoe: qoeView(all),
    withPeers: qoeView(t.peered),
    withoutPeers: aloneSeen ? qoeView(t.alone) : null,
    withoutPeersShare: watched > 0 ? (t.alone.playingMs + t.alone.stallMs) / watched : null,
  };
}

/** `buckets`: the scope's buckets in the range, oldest first (RangeSet.list or a cluster merge). */
export function buildRangeView(
  range: RangeName,
  buckets: readonly Bucket[],
  now: number,
  cost: EgressCost | null,
  scope: string,
): RangeView {
  const { bucketMs, count } = RANGES[range];
  const to = Math.floor(now / bucketMs) * bucketMs;
  const from = to - (count - 1) * bucketMs;
  const byT = new Map(buckets.map((b) => [b.t, b]));
  const points: RangePoint[] = [];
  for (let t = from; t <= to; t += bucketMs) {
    const b = byT.get(t);
    if (b === undefined) {
      points.push({ t, viewers: null, offload: null, bytesSaved: null, startupP50Ms: null, startupP95Ms: null, rebufferingRatio: null });
      continue;
    }
    const q = both(b);
    points.push({
      t,
      viewers: b.viewers,
      offload: offloadOf(b.httpBytes, b.p2pBytes),
      bytesSaved: b.p2pBytes,
      startupP50Ms: startupQuantile(q.startup, 0.5),
      startupP95Ms: startupQuantile(q.startup, 0.95),
      rebufferingRatio: rebufferingRatio(q),
    });
  }
  const inRange = buckets.filter((b) => b.t >= from && b.t <= to);
  return { range, bucketMs, from, to, cost, scope, summary: summarizeRange(sumBuckets(inRange), cost), points };
}

export function isRangeName(v: unknown): v is RangeName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(RANGES, v);
}
