/**
 * The dashboard's time ranges: per range a ring of fixed-width buckets aligned on wall-clock
 * multiples of the width (so buckets of different cluster nodes add up by their start time).
 * Each range is fed directly (no resampling between them), and holds at most `count` buckets,
 * so one swarm costs at most 90 + 60 + 144 buckets whatever the traffic. A bucket exists only if
 * something was recorded in it: a missing bucket is a gap (tracker down, swarm not kept), never 0.
 */
import { addQoe, parseQoe, zeroQoe, type Qoe } from './qoe-counts.js';

export const RANGES = {
  '15m': { bucketMs: 10_000, count: 90 },
  '1h': { bucketMs: 60_000, count: 60 },
  '24h': { bucketMs: 600_000, count: 144 },
} as const;
export type RangeName = keyof typeof RANGES;
export const RANGE_NAMES = Object.keys(RANGES) as RangeName[];

/** What happened in one bucket (or, summed, over a range: see sumBuckets). */
export interface Totals {
  /** Most viewers counted at one stats tick in the bucket (peak, an integer). */
  viewers: number;
  httpBytes: number;
  p2pBytes: number;
  uploadBytes: number;
  /** Viewing reported by sessions that had peers (peers > 0 or bytes from peers in that report). */
  peered: Qoe;
  /** Viewing reported by sessions without any peer in that report. */
  alone: Qoe;
}

export interface Bucket extends Totals {
  /** Wall-clock ms where the bucket starts (a multiple of the range's width). */
  readonly t: number;
}

export function zeroTotals(): Totals {
  return { viewers: 0, httpBytes: 0, p2pBytes: 0, uploadBytes: 0, peered: zeroQoe(), alone: zeroQoe() };
}

/**
 * Adds `from` into `into`. `viewers`: 'max' within one tracker over time (a peak), 'sum' across
 * cluster nodes for the same bucket (different viewers).
 */
export function addTotals(into: Totals, from: Totals, viewers: 'max' | 'sum'): void {
  into.viewers = viewers === 'max' ? Math.max(into.viewers, from.viewers) : into.viewers + from.viewers;
  into.httpBytes += from.httpBytes;
  into.p2pBytes += from.p2pBytes;
  into.uploadBytes += from.uploadBytes;
  addQoe(into.peered, from.peered);
  addQoe(into.alone, from.alone);
}

/** One range's ring of buckets, oldest first. */
export class BucketRing {
  private readonly buckets: Bucket[] = [];

  constructor(
    readonly bucketMs: number,
    private readonly count: number,
  ) {}

  /** The bucket holding `now`, created when missing; older ones past the range are dropped. */
  at(now: number): Bucket {
    const t = Math.floor(now / this.bucketMs) * this.bucketMs;
    const last = this.buckets[this.buckets.length - 1];
    if (last !== undefined && last.t === t) return last;
    if (last !== undefined && last.t > t) {
      // A late report (clock step back): the bucket it belongs to, or the newest.
      return this.buckets.find((b) => b.t === t) ?? last;
    }
    const b: Bucket = { t, ...zeroTotals() };
    this.buckets.push(b);
    this.trim(t);
    return b;
  }

  /** Buckets still inside the range that ends at `now`, oldest first. */
  list(now: number): readonly Bucket[] {
    this.trim(Math.floor(now / this.bucketMs) * this.bucketMs);
    return this.buckets;
  }

  /** Puts saved buckets back (validated), keeping order and the range's bound. */
  restore(saved: unknown, now: number): void {
    if (!Array.isArray(saved)) return;
    for (const raw of saved as unknown[]) {
      const b = parseBucket(raw, this.bucketMs);
      if (b === undefined) continue;
      const last = this.buckets[this.buckets.length - 1];
      if (last !== undefined && b.t <= last.t) continue;
      this.buckets.push(b);
    }
    this.trim(Math.floor(now / this.bucketMs) * this.bucketMs);
  }

  private trim(newestT: number): void {
    const oldest = newestT - (this.count - 1) * this.bucketMs;
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop]!.t < oldest) drop++;
    if (drop > 0) this.buckets.splice(0, drop);
    if (this.buckets.length > this.count) this.buckets.splice(0, this.buckets.length - this.count);
  }
}

/** The three ranges of one scope (the whole tracker, or one swarm). */
export class RangeSet {
  readonly rings: Readonly<Record<RangeName, BucketRing>>;

  constructor() {
    const rings = {} as Record<RangeName, BucketRing>;
    for (const name of RANGE_NAMES) rings[name] = new BucketRing(RANGES[name].bucketMs, RANGES[name].count);
    this.rings = rings;
  }

  /** Adds to the bucket holding `now` in every range. */
  record(now: number, add: (b: Totals) => void): void {
    for (const name of RANGE_NAMES) add(this.rings[name].at(now));
  }

  /** Notes the number of viewers counted now (each bucket keeps its peak). */
  viewers(now: number, n: number): void {
    this.record(now, (b) => (b.viewers = Math.max(b.viewers, n)));
  }

  list(name: RangeName, now: number): readonly Bucket[] {
    return this.rings[name].list(now);
  }

  /** Sum over a whole range (viewers: the peak). */
  totals(name: RangeName, now: number): Totals {
    return sumBuckets(this.list(name, now));
  }

  save(now: number): Record<RangeName, readonly Bucket[]> {
    const out = {} as Record<RangeName, readonly Bucket[]>;
    for (const name of RANGE_NAMES) out[name] = this.list(name, now);
    return out;
  }

  restore(saved: unknown, now: number): void {
    if (typeof saved !== 'object' || saved === null) return;
    for (const name of RANGE_NAMES) this.rings[name].restore((saved as Record<string, unknown>)[name], now);
  }
}

export function sumBuckets(buckets: Iterable<Totals>): Totals {
  const out = zeroTotals();
  for (const b of buckets) addTotals(out, b, 'max');
  return out;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** A bucket from a state file or a cluster node's snapshot, or undefined when it is not one. */
export function parseBucket(raw: unknown, bucketMs: number): Bucket | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (!isCount(o.t) || o.t % bucketMs !== 0) return undefined;
  if (![o.viewers, o.httpBytes, o.p2pBytes, o.uploadBytes].every(isCount)) return undefined;
  const peered = parseQoe(o.peered);
  const alone = parseQoe(o.alone);
  if (peered === undefined || alone === undefined) return undefined;
  return {
    t: o.t,
    viewers: o.viewers as number,
    httpBytes: o.httpBytes as number,
    p2pBytes: o.p2pBytes as number,
    uploadBytes: o.uploadBytes as number,
    peered,
    alone,
  };
}
