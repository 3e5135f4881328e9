/**
 * Quality-of-experience counts in a bucket: stalls, stalled and playing time, and startup times
 * as a fixed histogram (so a bucket costs the same whatever the audience, buckets add up, and
 * median and p95 come out of any sum of them). Pure.
 */

/**
 * Upper bounds (ms) of the startup histogram's bins; the last bin takes the rest up to the
 * largest sample the tracker accepts (10 min). Quantiles are interpolated inside a bin, so they
 * are exact to the bin's width: 250 ms up to 2 s, 1-2 s up to 8 s, coarser beyond.
 */
export const STARTUP_BOUNDS_MS = [250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12_000, 20_000, 600_000] as const;

export interface Qoe {
  stalls: number;
  stallMs: number;
  playingMs: number;
  /** Startup samples per STARTUP_BOUNDS_MS bin (empty until the first one). */
  startup: number[];
}

export function zeroQoe(): Qoe {
  return { stalls: 0, stallMs: 0, playingMs: 0, startup: [] };
}

export function addQoe(into: Qoe, from: Qoe): void {
  into.stalls += from.stalls;
  into.stallMs += from.stallMs;
  into.playingMs += from.playingMs;
  from.startup.forEach((n, i) => addStartupCount(into, i, n));
}

/** Counts one startup sample. */
export function addStartup(q: Qoe, ms: number): void {
  const i = STARTUP_BOUNDS_MS.findIndex((bound) => ms <= bound);
  addStartupCount(q, i < 0 ? STARTUP_BOUNDS_MS.length - 1 : i, 1);
}

function addStartupCount(q: Qoe, bin: number, n: number): void {
  if (n === 0) return;
  while (q.startup.length <= bin) q.startup.push(0);
  q.startup[bin]! += n;
}

/** The q-quantile (0..1) of the startup histogram in ms, null without samples. */
export function startupQuantile(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < hist.length; i++) {
    const n = hist[i]!;
    if (n > 0 && below + n >= rank) {
      const lo = i === 0 ? 0 : STARTUP_BOUNDS_MS[i - 1]!;
      const hi = STARTUP_BOUNDS_MS[i]!;
      return Math.round(lo + ((rank - below) / n) * (hi - lo));
    }
    below += n;
  }
  return STARTUP_BOUNDS_MS[hist.length - 1] ?? null;
}

/** Share of watching time spent stalled: stalled / (playing + stalled), null without any. */
export function rebufferingRatio(q: Qoe): number | null {
  const watched = q.playingMs + q.stallMs;
  return watched > 0 ? q.stallMs / watched : null;
}

/** Stalls per hour of playing, null below a minute of playing (a rate over seconds says little). */
export function stallsPerViewerHour(q: Qoe): number | null {
  return q.playingMs >= 60_000 ? q.stalls / (q.playingMs / 3_600_000) : null;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** QoE counts from a state file or a node snapshot, or undefined when they are not. */
export function parseQoe(raw: unknown): Qoe | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (![o.stalls, o.stallMs, o.playingMs].every(isCount)) return undefined;
  const startup = o.startup;
  if (!Array.isArray(startup) || startup.length > STARTUP_BOUNDS_MS.length || !startup.every(isCount)) return undefined;
  return { stalls: o.stalls as number, stallMs: o.stallMs as number, playingMs: o.playingMs as number, startup: [...startup] };
}
