import { describe, expect, it } from 'vitest';
import { healthSummary, meanStrainedShare } from '../src/results/health.js';

describe('health summary per viewer', () => {
  it('shares the time from the probe start to the page end between levels, and counts what made it worse', () => {
    const log = [
      { t: 1000, level: 'strained', reason: 'dropped-frames', value: 0.06 },
      { t: 3000, level: 'struggling', reason: 'event-loop-lag', value: 160 },
      { t: 4000, level: 'strained', reason: 'recovered', value: 10_000 },
      { t: 5000, level: 'healthy', reason: 'recovered', value: 10_000 },
    ] as const;
    const summary = healthSummary([...log], 11_000)!;
    expect(summary.changes).toBe(4);
    expect(summary.worst).toBe('struggling');
    expect(summary.share).toEqual({ healthy: 0.6, strained: 0.3, struggling: 0.1, critical: 0 });
    expect(summary.reasons).toEqual({ 'dropped-frames': 1, 'event-loop-lag': 1 });
  });

  it('a viewer without changes was healthy throughout; one without a log reports nothing', () => {
    expect(healthSummary([], 60_000)!.share.healthy).toBe(1);
    expect(healthSummary(undefined, 60_000)).toBeNull();
    expect(meanStrainedShare([null, null])).toBeNull();
    const strained = healthSummary([{ t: 0, level: 'strained', reason: 'long-tasks', value: 0.2 }], 1000);
    expect(meanStrainedShare([strained, healthSummary([], 1000), null])).toBe(0.5);
  });
});
