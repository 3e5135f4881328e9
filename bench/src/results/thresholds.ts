/**
 * The regression run (`npm run bench -- --ci`, bench/test/regression.e2e.test.ts) and the limits
 * it must stay within. Each limit says why it sits where it does. They catch bad regressions,
 * not noise: a shared CI machine playing 3 pages is itself a source of small stalls.
 */
import type { BenchResult, Check } from './types.js';

/** Small and fast: 3 Chromium pages on a live stream for 40 s. Live is where sharing is hardest. */
export const CI_WORKLOAD = { pages: 3, mode: 'live', durationS: 40, staggerS: 3 } as const;

export interface Threshold {
  readonly metric:
    'offload' | 'stalls' | 'stallMs' | 'startupMsMax' | 'neverStarted' | 'fatalErrors' | 'liveLatencyS' | 'originFetchesPerSegment';
  readonly min?: number;
  readonly max?: number;
  readonly why: string;
}

export const THRESHOLDS: readonly Threshold[] = [
  {
    metric: 'offload',
    min: 0.3,
    why: 'best possible with 3 viewers is 0.67; healthy runs measure about 0.6 (late joiners fetch their first segments before peers connect). Under 0.3 means new live segments are no longer shared',
  },
  {
    metric: 'originFetchesPerSegment',
    max: 2.2,
    why: 'with one edge fetcher each live segment should leave the origin about once (joiners add a few); above 2.2 the viewers are racing each other to the origin',
  },
  {
    metric: 'stalls',
    max: 1,
    why: 'healthy runs have 0; one is tolerated for a loaded CI machine, more means waiting on peers now costs playback',
  },
  {
    metric: 'stallMs',
    max: 3000,
    why: 'a single short stall is noise; 3 s of frozen video across 3 viewers in 40 s is a regression a viewer would notice',
  },
  {
    metric: 'startupMsMax',
    max: 5000,
    why: 'healthy startup is under 1 s on loopback; 5 s means startup waits on peers that are not coming',
  },
  {
    metric: 'liveLatencyS',
    max: 12,
    why: 'hls.js starts 3 target durations (6 s) behind the edge; 12 s means playback fell well behind the edge',
  },
  { metric: 'neverStarted', max: 0, why: 'every viewer must play' },
  { metric: 'fatalErrors', max: 0, why: 'a fatal hls.js error ends playback for that viewer' },
];

/** Each threshold as a 'fail' check on a result. */
export function checkThresholds(result: BenchResult, thresholds: readonly Threshold[] = THRESHOLDS): Check[] {
  return thresholds.map((t) => {
    const value = result[t.metric];
    if (value === null) return { name: `ci:${t.metric}`, ok: false, severity: 'fail', detail: `${t.metric} was not measured` };
    const low = t.min !== undefined && value < t.min;
    const high = t.max !== undefined && value > t.max;
    const bound = t.min !== undefined ? `>= ${t.min}` : `<= ${t.max}`;
    return {
      name: `ci:${t.metric}`,
      ok: !low && !high,
      severity: 'fail',
      detail: `${t.metric} = ${value} (must be ${bound}: ${t.why})`,
    };
  });
}
