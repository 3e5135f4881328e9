/**
 * The answer to GET /api/stats?range=15m|1h|24h&swarm=<hex>: the stats snapshot (api.ts, or a
 * cluster's merge) with its raw buckets replaced by what the dashboard draws: a view of the range
 * for the scope (range-view.ts) and each listed swarm's summary over that range. Raw buckets stay
 * out of the answer so that it stays small however long the range (the 24 h one is 144 buckets).
 */
import type { ApiStats } from './api.js';
import type { Bucket, RangeName } from './buckets.js';
import { buildRangeView, isRangeName, summarizeRange, type RangeSummary, type RangeView } from './range-view.js';
import type { SwarmSummary } from './store.js';

export const DEFAULT_RANGE: RangeName = '15m';

export interface DashboardQuery {
  readonly range: RangeName;
  /** '' for the whole tracker. */
  readonly swarm: string;
}

export type DashboardSwarm = Omit<SwarmSummary, 'ranges'> & { readonly range: RangeSummary };

export type DashboardStats = Omit<ApiStats, 'ranges' | 'swarms'> & {
  readonly swarms: readonly DashboardSwarm[];
  readonly view: RangeView;
};

/** Reads the query string; unknown ranges fall back to the default, a malformed swarm to all. */
export function parseDashboardQuery(search: URLSearchParams): DashboardQuery {
  const range = search.get('range');
  const swarm = search.get('swarm') ?? '';
  return { range: isRangeName(range) ? range : DEFAULT_RANGE, swarm: /^[0-9a-f]{40}$/.test(swarm) ? swarm : '' };
}

/**
 * `swarmBuckets`: the scoped swarm's buckets as this tracker holds them (a cluster node holds its
 * own viewers' share only; the whole-tracker scope is merged across nodes).
 */
export function dashboardStats(
  stats: ApiStats,
  q: DashboardQuery,
  swarmBuckets: (swarm: string, range: RangeName) => readonly Bucket[],
): DashboardStats {
  const { ranges, swarms, ...rest } = stats;
  const listed = q.swarm !== '' && swarms.some((s) => s.swarm === q.swarm);
  const scope = listed ? q.swarm : '';
  const buckets = scope === '' ? ranges[q.range] : swarmBuckets(scope, q.range);
  return {
    ...rest,
    swarms: swarms.map(({ ranges: r, ...s }) => ({ ...s, range: summarizeRange(r[q.range], stats.cost) })),
    view: buildRangeView(q.range, buckets, stats.now, stats.cost, scope),
  };
}
