import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import type { PlayerWindow } from '../browser/page-contract.js';
import { medianRatioInterval, type RatioInterval } from '../results/uncertainty.js';
import { median } from './page-metrics.js';

/** First-frame times of probe pages that joined a running swarm, HTTP only and with P2P. */
export interface StartupProbes {
  readonly offMs: number[];
  readonly onMs: number[];
  /** Probes that showed no frame within the limit. */
  readonly failed: number;
}

const FIRST_FRAME_LIMIT_MS = 15_000;
const POLL_MS = 50;

/**
 * Startup with and without P2P under the same machine load: while the swarm plays, pairs of
 * probe pages join one at a time, one HTTP only and one with P2P, in alternating order, each
 * closed once it shows its first frame. Comparing two separate runs instead mixes in how busy
 * the machine was in each (P2P costs this one shared CPU more, which a real viewer's device
 * does not share with seven others).
 */
export async function probeStartups(
  openPage: (context: BrowserContext) => Promise<Page>,
  browser: Browser,
  pageUrl: (p2p: boolean) => string,
  pairs: number,
): Promise<StartupProbes> {
  const offMs: number[] = [];
  const onMs: number[] = [];
  let failed = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? [false, true] : [true, false];
    for (const p2p of order) {
      const ms = await firstFrameOf(openPage, browser, pageUrl(p2p));
      if (ms === null) failed++;
      else (p2p ? onMs : offMs).push(ms);
    }
  }
  return { offMs, onMs, failed };
}

async function firstFrameOf(openPage: (context: BrowserContext) => Promise<Page>, browser: Browser, url: string): Promise<number | null> {
  const context = await browser.createBrowserContext();
  try {
    const page = await openPage(context);
    await page.goto(url);
    const deadline = Date.now() + FIRST_FRAME_LIMIT_MS;
    while (Date.now() < deadline) {
      const ms = await page.evaluate(() => (window as unknown as PlayerWindow).__metrics.firstFrameMs);
      if (ms !== null) return Math.round(ms);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return null;
  } finally {
    await context.close();
  }
}

export interface ProbeSummary {
  readonly pairs: number;
  readonly offMedianMs: number | null;
  readonly onMedianMs: number | null;
  /** P2P median / HTTP-only median. */
  readonly ratio: number | null;
  /** Where that ratio lies at 90% confidence (bootstrap over the pairs). */
  readonly ratioInterval: RatioInterval | null;
  readonly failed: number;
  /** Every probe's first frame, in the order they ran. */
  readonly offMs: readonly number[];
  readonly onMs: readonly number[];
}

/** Medians and their ratio (P2P on / off). */
export function summarizeProbes(probes: StartupProbes): ProbeSummary {
  const off = probes.offMs.length ? Math.round(median(probes.offMs)) : null;
  const on = probes.onMs.length ? Math.round(median(probes.onMs)) : null;
  return {
    pairs: Math.min(probes.offMs.length, probes.onMs.length),
    offMedianMs: off,
    onMedianMs: on,
    ratio: off && on !== null ? Math.round((1000 * on) / off) / 1000 : null,
    ratioInterval: medianRatioInterval(probes.offMs, probes.onMs, { paired: true }),
    failed: probes.failed,
    offMs: probes.offMs,
    onMs: probes.onMs,
  };
}
