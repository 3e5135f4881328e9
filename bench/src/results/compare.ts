/** --compare: the same workload with P2P off and on, side by side. Pure. */
import type { BenchResult, CompareResult, TwinStalls } from './types.js';
import { medianRatioInterval } from './uncertainty.js';

/** Numbers compared, with how to read their on/off ratio. */
export const COMPARED: ReadonlyArray<{ key: keyof BenchResult; label: string; better: 'lower' | 'higher' }> = [
  { key: 'originBytes', label: 'origin bytes (all)', better: 'lower' },
  { key: 'originSegmentBytes', label: 'origin segment bytes', better: 'lower' },
  { key: 'originFetchesPerSegment', label: 'origin fetches per segment', better: 'lower' },
  { key: 'httpBytes', label: 'HTTP bytes (SDK)', better: 'lower' },
  { key: 'p2pBytes', label: 'P2P bytes (SDK)', better: 'higher' },
  { key: 'offload', label: 'offload', better: 'higher' },
  { key: 'stalls', label: 'stalls', better: 'lower' },
  { key: 'stallsPerViewerMinute', label: 'stalls per viewer-minute', better: 'lower' },
  { key: 'stalledS', label: 'stalled s', better: 'lower' },
  { key: 'startupMsMedian', label: 'startup ms (median)', better: 'lower' },
  { key: 'startupMsMax', label: 'startup ms (max)', better: 'lower' },
  { key: 'liveLatencyS', label: 'live latency s (median)', better: 'lower' },
  { key: 'memoryPerPageMB', label: 'memory per viewer MB', better: 'lower' },
  // Shoal's health probe runs with P2P off too: the device's own strain is the baseline.
  { key: 'strainedShare', label: 'time below healthy (share)', better: 'lower' },
];

export function compareRuns(off: BenchResult, on: BenchResult): CompareResult {
  const ratios: Record<string, number | null> = {};
  for (const { key } of COMPARED) {
    const a = off[key];
    const b = on[key];
    ratios[key] = typeof a === 'number' && typeof b === 'number' && a !== 0 ? Math.round((b / a) * 1000) / 1000 : null;
  }
  const saved = off.originBytes !== null && on.originBytes !== null ? off.originBytes - on.originBytes : null;
  return {
    kind: 'compare',
    ok: off.ok && on.ok,
    off,
    on,
    ratios,
    startupRatioInterval: medianRatioInterval(startups(off), startups(on)),
    savedOriginBytes: saved,
    savedOriginShare: saved !== null && off.originBytes ? Math.round((saved / off.originBytes) * 1000) / 1000 : null,
    worseThanTwin: worseThanTwin(off, on),
  };
}

/**
 * Viewers that stalled more with P2P than their twin without: the viewer of the P2P-off run
 * with the same index joined at the same moment of the same workload.
 */
export function worseThanTwin(off: BenchResult, on: BenchResult): TwinStalls[] {
  return on.perPeer.flatMap((viewer) => {
    const twin = off.perPeer.find((p) => p.index === viewer.index);
    if (!twin || viewer.stalls <= twin.stalls) return [];
    return [
      { index: viewer.index, on: { stalls: viewer.stalls, stallMs: viewer.stallMs }, off: { stalls: twin.stalls, stallMs: twin.stallMs } },
    ];
  });
}

function startups(run: BenchResult): number[] {
  return run.perPeer.map((p) => p.startupMs).filter((ms): ms is number => typeof ms === 'number');
}
