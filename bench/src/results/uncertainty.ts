/**
 * How far a startup ratio can be trusted: a bootstrap confidence interval for the ratio of two
 * medians. First frames on one shared 2-core machine spread widely (170-720 ms within one run),
 * so the ratio of two 8-viewer medians moves a lot from run to run; the interval says how much.
 * Pure and seeded, so a result file reproduces.
 */
import { median } from '../run/page-metrics.js';
import { round } from './round.js';

export interface RatioInterval {
  /** Bounds of the ratio on / off at `level` confidence. */
  readonly low: number;
  readonly high: number;
  readonly level: number;
}

export interface IntervalOptions {
  /** Samples come in pairs (on[i] measured beside off[i]): resample the pairs together. */
  readonly paired?: boolean;
  readonly level?: number;
  readonly iterations?: number;
  readonly seed?: number;
}

/** Percentile bootstrap of median(on) / median(off); null with fewer than 3 samples a side. */
export function medianRatioInterval(off: readonly number[], on: readonly number[], options: IntervalOptions = {}): RatioInterval | null {
  const { paired = false, level = 0.9, iterations = 4000, seed = 1 } = options;
  const pairs = Math.min(off.length, on.length);
  if (pairs < 3) return null;
  const random = mulberry32(seed);
  const draw = (count: number) => Array.from({ length: count }, () => Math.floor(random() * count));
  const ratios: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const offDraw = draw(paired ? pairs : off.length);
    const onDraw = paired ? offDraw : draw(on.length);
    const base = median(offDraw.map((j) => off[j]!));
    if (base > 0) ratios.push(median(onDraw.map((j) => on[j]!)) / base);
  }
  if (ratios.length === 0) return null;
  ratios.sort((a, b) => a - b);
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.floor(q * ratios.length)))]!;
  const tail = (1 - level) / 2;
  return { low: round(at(tail), 3), high: round(at(1 - tail), 3), level };
}

/** A small seeded PRNG (uniform in [0, 1)); Math.random cannot be seeded. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
