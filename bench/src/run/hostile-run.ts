/**
 * Honest Chromium pages and hostile Node peers in one swarm: the integrity test bed. Every page
 * records the SHA-256 of each fragment hls.js received (?hashFrags=1), what it caught peers
 * doing, and its usual playback metrics. Bounded: the run stops after durationS.
 */
import type { BrowserContext, Page } from 'puppeteer-core';
import { launchChromium, DEFAULT_MEDIA_ROOT, startOrigin, type OriginStats } from '@shoal/test-kit';
import { startPageServer } from '../browser/page-server.js';
import { HostilePeer, type HostileBehaviour, type HostileStats } from './hostile-peer.js';
import { startLocalTracker } from './local-tracker.js';
import { readMetrics, type PlayerPageMetrics } from './page-metrics.js';

export interface HostileRunOptions {
  readonly honestPages: number;
  /** One hostile Node peer per entry; they join (holding the whole stream) before any page. */
  readonly hostile: readonly HostileBehaviour[];
  readonly mode: 'vod' | 'live';
  readonly durationS: number;
  readonly staggerS: number;
  /** Sample stream folder under the test kit's media. */
  readonly stream?: string;
  /** Extra Shoal options for every page. */
  readonly shoalConfig?: Record<string, unknown>;
  log?: (message: string) => void;
}

export interface HonestPage {
  readonly index: number;
  readonly metrics: PlayerPageMetrics;
  readonly live: { segmentsCorrupted: number; bannedPeers: number; integrity: string };
}

export interface HostileRunResult {
  readonly pages: HonestPage[];
  readonly hostile: HostileStats[];
  readonly origin: OriginStats;
  readonly streamUrl: string;
  readonly originUrl: string;
}

const TICK_MS = 1000;

export async function runHostileSwarm(options: HostileRunOptions): Promise<HostileRunResult> {
  const origin = await startOrigin({ root: DEFAULT_MEDIA_ROOT });
  const tracker = await startLocalTracker();
  const pageServer = await startPageServer();
  const streamUrl = `${origin.url}/${options.mode}/${options.stream ?? 'sample'}/master.m3u8`;
  const hostile = options.hostile.map(
    (behaviour) => new HostilePeer({ behaviour, trackerUrl: tracker.wsUrl, streamUrl, log: options.log }),
  );
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const pages: Array<{ index: number; context: BrowserContext; page: Page }> = [];
  try {
    await Promise.all(hostile.map((peer) => peer.start()));
    origin.resetStats();
    chromium = await launchChromium();
    const params = new URLSearchParams({ src: streamUrl, p2p: '1', tracker: tracker.wsUrl, hashFrags: '1' });
    if (options.shoalConfig) params.set('config', JSON.stringify(options.shoalConfig));
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    for (let tick = 0; elapsed() < options.durationS && tick < options.durationS * 4; tick++) {
      while (pages.length < options.honestPages && elapsed() >= pages.length * options.staggerS) {
        const context = await chromium.browser.createBrowserContext();
        const page = await context.newPage();
        const label = `[page ${pages.length}]`;
        page.on('pageerror', (error) => options.log?.(`${label} ${(error as Error).message}`));
        if (process.env.SHOAL_PAGE_CONSOLE) page.on('console', (message) => options.log?.(`${label} ${message.text()}`));
        await page.goto(`${pageServer.url}/player.html?${params}`);
        pages.push({ index: pages.length, context, page });
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    const results: HonestPage[] = [];
    for (const { index, page } of pages) {
      const metrics = await readMetrics(page);
      const { segmentsCorrupted, bannedPeers, integrity } = metrics.shoal;
      const live = { segmentsCorrupted, bannedPeers, integrity };
      results.push({ index, metrics, live });
    }
    return { pages: results, hostile: hostile.map((h) => ({ ...h.stats })), origin: origin.stats(), streamUrl, originUrl: origin.url };
  } finally {
    for (const peer of hostile) peer.stop();
    // Node's native WebRTC tears its connections down on its own threads: let that finish before
    // the pages and the tracker go (a CI run lost its test worker to a crash around here once).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await chromium?.close();
    await pageServer.close();
    await tracker.close();
    await origin.close();
  }
}
