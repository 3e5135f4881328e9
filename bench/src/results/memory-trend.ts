/** Memory over a run: does a page's footprint settle, or keep growing? Pure. */
import { round } from './round.js';
import type { MemoryTrend, TimelinePoint } from './types.js';

/** Left out: joins, startup bursts and the first fill of the buffers and the segment store. */
const SETTLE_S = 30;
/** Shorter windows say more about garbage-collection timing than about growth. */
const MIN_WINDOW_S = 60;

export function memoryTrend(points: readonly TimelinePoint[]): MemoryTrend | null {
  if (points.length === 0) return null;
  const maxViewers = Math.max(...points.map((p) => p.viewers));
  const allJoined = points.find((p) => p.viewers === maxViewers)?.t ?? 0;
  const window = points.filter((p) => p.t >= allJoined + SETTLE_S && p.pageMemoryMB !== null);
  if (window.length < 2 || window.at(-1)!.t - window[0]!.t < MIN_WINDOW_S) return null;
  const memory = fit(window.map((p) => [p.t, p.pageMemoryMB!]));
  const heapPoints = window.flatMap((p) => (p.pageHeapMB === null ? [] : [[p.t, p.pageHeapMB] as [number, number]]));
  const heap = heapPoints.length >= 2 ? fit(heapPoints) : null;
  const stores = window.flatMap((p) => (p.pageStoreMB == null ? [] : [p.pageStoreMB]));
  return {
    fromS: window[0]!.t,
    toS: window.at(-1)!.t,
    startMB: round(memory.start, 1),
    endMB: round(memory.end, 1),
    slopeMBPerMin: round(memory.slopePerS * 60, 3),
    heapStartMB: heap ? round(heap.start, 1) : null,
    heapEndMB: heap ? round(heap.end, 1) : null,
    heapSlopeMBPerMin: heap ? round(heap.slopePerS * 60, 3) : null,
    storeMaxMB: stores.length ? round(Math.max(...stores), 1) : null,
    storeEndMB: stores.length ? round(stores.at(-1)!, 1) : null,
  };
}

/** Least-squares line through (t, value): its value at the first and last t, and its slope. */
function fit(points: ReadonlyArray<readonly [number, number]>): { start: number; end: number; slopePerS: number } {
  const n = points.length;
  const meanT = points.reduce((a, [t]) => a + t, 0) / n;
  const meanV = points.reduce((a, [, v]) => a + v, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, v] of points) {
    num += (t - meanT) * (v - meanV);
    den += (t - meanT) ** 2;
  }
  const slopePerS = den > 0 ? num / den : 0;
  const at = (t: number) => meanV + slopePerS * (t - meanT);
  return { start: at(points[0]![0]), end: at(points[n - 1]![0]), slopePerS };
}
