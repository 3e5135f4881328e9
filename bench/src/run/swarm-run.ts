import type { BrowserContext, Page } from 'puppeteer-core';
import { launchChromium } from '../browser/chromium.js';
import { startPageServer } from '../browser/page-server.js';
import { startOrigin, DEFAULT_MEDIA_ROOT, type OriginStats } from '../origin/index.js';
import { startLocalTracker } from './local-tracker.js';
import { readMetrics, type PageMetrics } from './page-metrics.js';

export interface SwarmRunOptions {
  readonly peers: number;
  readonly mode: 'vod' | 'live';
  readonly durationS: number;
  /** Seconds between two pages joining. */
  readonly staggerS: number;
  readonly p2p: boolean;
  /** Master playlist URL; default: the sample stream on the local origin. */
  readonly stream?: string;
  /** Share of pages (0..1) that close at mid-run. */
  readonly churn?: number;
  /** Extra Shoal options / hls.js config for every page. */
  readonly shoalConfig?: Record<string, unknown>;
  readonly hlsConfig?: Record<string, unknown>;
  /** Called about once a second with the pages' current metrics. */
  onTick?(elapsedS: number, pages: readonly PageSnapshot[]): void;
}

export interface PageSnapshot {
  readonly index: number;
  readonly joinedAtS: number;
  readonly closedAtS: number | undefined;
  readonly metrics: PageMetrics;
  /** JS heap of the page in MB, when Chromium reports it. */
  readonly heapMB: number | undefined;
}

export interface SwarmRunResult {
  readonly options: SwarmRunOptions;
  readonly pages: PageSnapshot[];
  /** What the local origin served (undefined when --stream points elsewhere). */
  readonly origin: OriginStats | undefined;
  readonly elapsedS: number;
  readonly streamUrl: string;
}

const TICK_MS = 1000;

/**
 * Plays one stream in N real Chromium pages (browser contexts of one browser) against a local
 * origin and tracker, joining staggerS apart, for durationS; returns every page's metrics.
 * Every loop here is bounded by the duration; the run stops by itself.
 */
export async function runSwarm(options: SwarmRunOptions): Promise<SwarmRunResult> {
  const origin = options.stream ? undefined : await startOrigin({ root: DEFAULT_MEDIA_ROOT });
  const tracker = await startLocalTracker();
  const pageServer = await startPageServer();
  const chromium = await launchChromium();
  const streamUrl = options.stream ?? `${origin!.url}/${options.mode}/sample/master.m3u8`;
  const pages: Array<{ index: number; context: BrowserContext; page: Page; joinedAtS: number; closedAtS?: number; last?: PageSnapshot }> = [];
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  try {
    origin?.resetStats();
    const params = new URLSearchParams({ src: streamUrl, p2p: options.p2p ? '1' : '0', tracker: tracker.wsUrl });
    if (tracker.statsUrl) params.set('stats', tracker.statsUrl);
    if (options.shoalConfig) params.set('config', JSON.stringify(options.shoalConfig));
    if (options.hlsConfig) params.set('hls', JSON.stringify(options.hlsConfig));
    const churnCount = Math.floor((options.churn ?? 0) * options.peers);
    const churnAtS = options.durationS / 2;
    let churned = false;
    for (let tick = 0; elapsed() < options.durationS && tick < options.durationS * 4; tick++) {
      while (pages.length < options.peers && elapsed() >= pages.length * options.staggerS) {
        const context = await chromium.browser.createBrowserContext();
        const page = await context.newPage();
        const label = `[page ${pages.length}]`;
        page.on('pageerror', (error) => console.error(`${label} ${(error as Error).message}`));
        if (process.env.SHOAL_PAGE_CONSOLE) page.on('console', (message) => console.error(`${label} ${message.text()}`));
        await page.goto(`${pageServer.url}/player.html?${params}`);
        pages.push({ index: pages.length, context, page, joinedAtS: elapsed() });
      }
      if (!churned && churnCount > 0 && elapsed() >= churnAtS) {
        churned = true;
        // The earliest joiners leave: they hold the most, so this is the hard case for the rest.
        for (const entry of pages.slice(0, churnCount)) {
          entry.last = await snapshot(entry);
          entry.closedAtS = elapsed();
          await entry.context.close();
        }
      }
      const live = pages.filter((p) => p.closedAtS === undefined);
      for (const entry of live) entry.last = await snapshot(entry);
      options.onTick?.(elapsed(), pages.flatMap((p) => (p.last ? [p.last] : [])));
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    for (const entry of pages) if (entry.closedAtS === undefined) entry.last = await snapshot(entry);
    return {
      options,
      pages: pages.flatMap((p) => (p.last ? [{ ...p.last, closedAtS: p.closedAtS }] : [])),
      origin: origin?.stats(),
      elapsedS: elapsed(),
      streamUrl,
    };
  } finally {
    await chromium.close();
    await pageServer.close();
    await tracker.close();
    await origin?.close();
  }
}

async function snapshot(entry: { index: number; page: Page; joinedAtS: number; closedAtS?: number }): Promise<PageSnapshot> {
  const metrics = await readMetrics(entry.page);
  const heap = await entry.page.metrics().catch(() => undefined);
  return {
    index: entry.index,
    joinedAtS: entry.joinedAtS,
    closedAtS: entry.closedAtS,
    metrics,
    heapMB: heap?.JSHeapUsedSize === undefined ? undefined : heap.JSHeapUsedSize / 1024 / 1024,
  };
}
