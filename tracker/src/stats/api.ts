/** The JSON served at GET /api/stats (and by RunningTracker.stats()). */
import type { Counters } from '../swarm/counters.js';
import type { Registry } from '../swarm/registry.js';
import { RANGE_NAMES, type Bucket, type RangeName } from './buckets.js';
import type { EgressCost } from './range-view.js';
import type { Point, StatsStore, Summary, SwarmSummary } from './store.js';

export interface ApiStats {
  /** Wall-clock ms when the snapshot was taken. */
  readonly now: number;
  readonly intervalMs: number;
  readonly overall: Summary & { readonly swarms: number };
  readonly series: readonly Point[];
  /** The whole tracker's time ranges, raw (buckets.ts); the HTTP answer replaces them by a view (dashboard-api.ts). */
  readonly ranges: Readonly<Record<RangeName, readonly Bucket[]>>;
  /** --egress-cost-per-gb and --egress-currency, null when no price is set. */
  readonly cost: EgressCost | null;
  /** Most viewers first, at most MAX_SWARMS_LISTED. */
  readonly swarms: readonly SwarmSummary[];
  readonly tracker: {
    readonly connections: number;
    readonly swarms: number;
    readonly peers: number;
    readonly announces: number;
    readonly offersRelayed: number;
    readonly answersRelayed: number;
    readonly rejections: Readonly<Record<string, number>>;
  };
}

export const MAX_SWARMS_LISTED = 100;

export function buildApiStats(
  store: StatsStore,
  registry: Registry,
  counters: Counters,
  connections: number,
  viewersOf: (swarmHex: string) => number,
  intervalMs: number,
  cost: EgressCost | null,
): ApiStats {
  const now = Date.now();
  const ranges = {} as Record<RangeName, readonly Bucket[]>;
  for (const name of RANGE_NAMES) ranges[name] = store.ranges.list(name, now);
  return {
    now,
    intervalMs,
    overall: { ...store.summary(registry.peerCount), swarms: registry.swarms.size },
    series: store.overallSeries(),
    ranges,
    cost,
    swarms: store.swarmSummaries(viewersOf, now).slice(0, MAX_SWARMS_LISTED),
    tracker: {
      connections,
      swarms: registry.swarms.size,
      peers: registry.peerCount,
      announces: counters.announces,
      offersRelayed: counters.offersRelayed,
      answersRelayed: counters.answersRelayed,
      rejections: Object.fromEntries(counters.rejections),
    },
  };
}
