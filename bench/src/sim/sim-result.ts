/** What result.json holds for one simulated run. */
import type { SimSummary } from './sim-metrics.js';
import type { SimTimeline } from './sim-run.js';

export interface SimResult {
  readonly options: {
    readonly viewers: number;
    readonly mode: 'live' | 'vod';
    readonly durationS: number;
    readonly seed: number;
    readonly network: string;
    readonly uplink: string;
    readonly meanUplinkX: number;
    readonly churnPerMin: number;
    readonly trackerOutage: string | null;
    readonly p2p: boolean;
    readonly bitrate: number;
    readonly segmentS: number;
  };
  readonly summary: SimSummary;
  readonly wallClockS: number;
  readonly timersRun: number;
  readonly timeline: SimTimeline;
  readonly viewers: ReadonlyArray<{
    readonly id: string;
    readonly uploadX: number;
    readonly stalls: number;
    readonly startupMs: number | null;
  }>;
}
