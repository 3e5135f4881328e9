import type { HealthEntry } from '../browser/page-contract.js';

const LEVELS = ['healthy', 'strained', 'struggling', 'critical'] as const;
type Level = (typeof LEVELS)[number];

/** How one viewer's device kept up, as Shoal's health probe saw it (with P2P off too). */
export interface HealthSummary {
  /** Level changes over the run. */
  readonly changes: number;
  readonly worst: Level;
  /** Share of the watched time at each level (0..1), from the probe's start to the page's end. */
  readonly share: { readonly [L in Level]: number };
  /** What made the level worse, and how often. */
  readonly reasons: Readonly<Record<string, number>>;
}

/**
 * Summarizes a page's health log (ms since the page started) up to `endMs`. The level before
 * the first change is healthy: the probe starts there. Null when the page has no log (a Node
 * peer, or an older result).
 */
export function healthSummary(log: readonly HealthEntry[] | undefined, endAtMs: number): HealthSummary | null {
  if (!log) return null;
  const endMs = Number.isFinite(endAtMs) ? endAtMs : (log[log.length - 1]?.t ?? 0);
  const ms: Record<Level, number> = { healthy: 0, strained: 0, struggling: 0, critical: 0 };
  const reasons: Record<string, number> = {};
  let level: Level = 'healthy';
  let worst = 0;
  let since = log[0]?.t ?? endMs;
  for (const entry of log) {
    const at = Math.min(entry.t, endMs);
    ms[level] += Math.max(0, at - since);
    since = at;
    if (LEVELS.indexOf(entry.level) > LEVELS.indexOf(level)) reasons[entry.reason] = (reasons[entry.reason] ?? 0) + 1;
    level = entry.level;
    worst = Math.max(worst, LEVELS.indexOf(level));
  }
  ms[level] += Math.max(0, endMs - since);
  const total = LEVELS.reduce((sum, l) => sum + ms[l], 0);
  const share = Object.fromEntries(
    LEVELS.map((l) => [l, total > 0 ? Math.round((ms[l] / total) * 1000) / 1000 : l === 'healthy' ? 1 : 0]),
  ) as Record<Level, number>;
  return { changes: log.length, worst: LEVELS[worst]!, share, reasons };
}

/** Mean share of time the viewers' devices spent below healthy; null when none reported health. */
export function meanStrainedShare(summaries: ReadonlyArray<HealthSummary | null>): number | null {
  const known = summaries.filter((s): s is HealthSummary => s !== null);
  if (known.length === 0) return null;
  return Math.round((known.reduce((sum, s) => sum + 1 - s.share.healthy, 0) / known.length) * 1000) / 1000;
}
