import type { Page } from 'puppeteer-core';
import type { ShoalLiveStats } from '@shoal/hlsjs';
import type { PlayerPageMetrics, PlayerWindow } from '../browser/page-contract.js';

export type {
  ErrorEntry,
  IntegrityEvidence,
  PageMetrics,
  PageStall,
  PageWarning,
  PlayerPageMetrics,
  SegmentEvent,
  ViewerShoalStats,
} from '../browser/page-contract.js';

/** The player page's window.__metrics, with Shoal's stats as of now. */
export async function readMetrics(page: Page): Promise<PlayerPageMetrics & { shoal: ShoalLiveStats }> {
  return page.evaluate(() => {
    const w = window as unknown as PlayerWindow;
    return { ...w.__metrics, shoal: w.__shoal.stats() };
  });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
