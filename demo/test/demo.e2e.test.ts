/**
 * End to end: the demo server with a real origin and tracker, two headless Chromium viewers in
 * separate browser contexts. The second viewer must get video bytes from the first over WebRTC.
 */
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from '@shoal/test-kit';
import { startDemo, type Demo } from '../src/server.js';

const SHOTS = process.env['DEMO_SCREENSHOTS'] ?? '/tmp';

/** What a person sees in the cards, read back from the page (raw numbers behind the text). */
interface Shown {
  httpBytes: number;
  p2pBytes: number;
  uploadBytes: number;
  peers: number;
  offload: number;
  p2pText: string;
  offloadText: string;
  videoTime: number;
  videoPaused: boolean;
  chartPoints: number;
  chartBytes: number;
  segmentTiles: number;
}

function shown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const value = (id: string) => Number(document.getElementById(id)?.dataset['value'] ?? 0);
    const video = document.querySelector('video')!;
    const chart = window.Chart.getChart('rate-chart');
    const bars = (chart?.data.datasets ?? []).slice(0, 3).flatMap((d) => d.data as Array<number | null>);
    const points = (chart?.data.datasets[0]?.data ?? []).filter((v) => v !== null).length;
    return {
      httpBytes: value('stat-http'),
      p2pBytes: value('stat-p2p'),
      uploadBytes: value('stat-upload'),
      peers: value('stat-peers'),
      offload: value('stat-offload'),
      p2pText: document.getElementById('stat-p2p')?.textContent ?? '',
      offloadText: document.getElementById('stat-offload')?.textContent ?? '',
      videoTime: video.currentTime,
      videoPaused: video.paused,
      chartPoints: points,
      chartBytes: bars.reduce((sum: number, v) => sum + Math.abs(v ?? 0), 0),
      segmentTiles: document.querySelectorAll('#segment-strip .tile').length,
    };
  });
}

/** The parts of the page that explain: why per segment, playback over time, the per-peer table. */
interface Explained {
  why: string[];
  whyBySource: Record<string, string[]>;
  bufferPoints: number;
  renditionPoints: number;
  bufferNow: string;
  renditionNow: string;
  latencyNow: string;
  peers: { state: string; fromIt: string; toIt: string; rtt: string }[];
}

function explained(page: Page): Promise<Explained> {
  return page.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent ?? '';
    const rows = [...document.querySelectorAll('#segment-rows tr')];
    const whyBySource: Record<string, string[]> = {};
    for (const r of rows) (whyBySource[r.className.replace('src-', '')] ??= []).push(r.querySelector('td.why')?.textContent ?? '');
    const chart = window.Chart.getChart('playback-chart');
    const points = (i: number) => (chart?.data.datasets[i]?.data ?? []).filter((v) => v !== null).length;
    return {
      why: rows.map((r) => r.querySelector('td.why')?.textContent ?? ''),
      whyBySource,
      bufferPoints: points(0),
      renditionPoints: points(2),
      bufferNow: text('buffer-now'),
      renditionNow: text('rendition-now'),
      latencyNow: text('latency-now'),
      peers: [...document.querySelectorAll('#peer-rows tr')].map((r) => {
        const c = [...r.querySelectorAll('td')].map((td) => td.textContent ?? '');
        return { state: c[1] ?? '', fromIt: c[2] ?? '', toIt: c[3] ?? '', rtt: c[4] ?? '' };
      }),
    };
  });
}

describe('demo page, two viewers', () => {
  let demo: Demo;
  let chromium: LaunchedBrowser;
  let browser: Browser;
  const logs: string[] = [];
  let first: Page | undefined;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, originPort: 0, trackerPort: 0 });
    chromium = await launchChromium();
    browser = chromium.browser;
  }, 30_000);

  afterAll(async () => {
    await chromium?.close();
    await demo?.close();
  });

  async function openViewer(name: string): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1360, height: 1100 });
    page.on('console', (m) => logs.push(`[${name}] ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[${name}] pageerror: ${(e as Error).message}`));
    await page.goto(`${demo.url}?mode=vod`, { waitUntil: 'load' });
    return page;
  }

  it('plays in both tabs, charts the bytes, and the second tab gets P2P bytes from the first', async () => {
    try {
      first = await openViewer('tab1');
      await first.waitForFunction(() => document.querySelector('video')!.currentTime > 0.5, { timeout: 15_000 });
      expect(await first.$eval('#now-playing', (el) => el.textContent)).toContain('VOD');
      await new Promise((r) => setTimeout(r, 4000));
      const second = await openViewer('tab2');

      await second.waitForFunction(() => Number(document.getElementById('stat-p2p')?.dataset['value'] ?? 0) > 0, {
        timeout: 30_000,
        polling: 250,
      });
      // Let both play on a little, so the numbers and the chart show the exchange.
      await second.waitForFunction(() => document.querySelector('video')!.currentTime > 4, { timeout: 15_000 });
      await new Promise((r) => setTimeout(r, 2000));

      const [a, b] = await Promise.all([shown(first), shown(second)]);
      console.log(`tab1: ${JSON.stringify(a)}\ntab2: ${JSON.stringify(b)}`);
      await first.screenshot({ path: path.join(SHOTS, 'demo-tab1.png'), fullPage: true });
      await second.screenshot({ path: path.join(SHOTS, 'demo-tab2.png'), fullPage: true });

      for (const tab of [a, b]) {
        expect(tab.videoPaused).toBe(false);
        expect(tab.videoTime).toBeGreaterThan(2);
        expect(tab.chartPoints).toBeGreaterThan(2);
        expect(tab.chartBytes).toBeGreaterThan(0);
        expect(tab.segmentTiles).toBeGreaterThan(0);
      }
      expect(b.p2pBytes).toBeGreaterThan(0);
      expect(b.p2pText).not.toBe('0 B');
      expect(b.peers).toBeGreaterThanOrEqual(1);
      expect(a.uploadBytes).toBeGreaterThan(0);

      // Why each segment came from where it came from: the P2P ones on the second tab say a peer had it.
      const [ea, eb] = await Promise.all([explained(first), explained(second)]);
      console.log(`tab1: ${JSON.stringify(ea)}\ntab2: ${JSON.stringify(eb)}`);
      for (const tab of [ea, eb]) {
        expect(tab.why.length).toBeGreaterThan(0);
        expect(tab.why.every((w) => w.length > 10)).toBe(true);
        expect(tab.bufferPoints).toBeGreaterThan(2);
        expect(tab.renditionPoints).toBeGreaterThan(2);
        expect(tab.bufferNow).toMatch(/\d (ms|s)$/);
        expect(tab.renditionNow).toMatch(/^\d+p$/);
        expect(tab.latencyNow).toBe('VOD');
      }
      expect(eb.whyBySource['p2p']?.some((w) => w.startsWith('a peer had it'))).toBe(true);
      // Per peer: each tab lists the other, bytes flowed from the first to the second, with a round trip.
      expect(eb.peers.some((p) => p.state !== 'handshaking' && p.fromIt !== '0 B' && p.rtt !== '—')).toBe(true);
      expect(ea.peers.some((p) => p.toIt !== '0 B')).toBe(true);
    } catch (error) {
      console.log(logs.slice(-80).join('\n'));
      throw error;
    }
  }, 60_000);

  it('switches the first tab to LIVE from the page controls, and the live stream plays', async () => {
    const page = first!;
    try {
      await page.click('label[for="live"]');
      await page.waitForFunction(() => document.getElementById('now-playing')?.textContent?.startsWith('LIVE'), { timeout: 5000 });
      expect(new URL(page.url()).searchParams.get('mode')).toBe('live');
      // Live starts near the edge (currentTime already far from 0): wait for bytes, then for time to move.
      await page.waitForFunction(
        () =>
          Number(document.getElementById('stat-http')?.dataset['value'] ?? 0) +
            Number(document.getElementById('stat-p2p')?.dataset['value'] ?? 0) >
            0 && document.querySelector('video')!.readyState >= 3,
        { timeout: 20_000, polling: 250 },
      );
      const t0 = await page.$eval('video', (v) => v.currentTime);
      await page.waitForFunction((start: number) => document.querySelector('video')!.currentTime > start + 2, { timeout: 15_000 }, t0);
      const s = await shown(page);
      console.log(`tab1 live: ${JSON.stringify(s)}`);
      expect(s.httpBytes + s.p2pBytes).toBeGreaterThan(0);
      // Live latency: how far behind the live edge, read from hls.js once a second.
      await page.waitForFunction(() => /^\d/.test(document.getElementById('latency-now')?.textContent ?? ''), { timeout: 5000 });
      await page.screenshot({ path: path.join(SHOTS, 'demo-tab1-live.png'), fullPage: true });
    } catch (error) {
      console.log(logs.slice(-80).join('\n'));
      throw error;
    }
  }, 30_000);

  it('"Open a second viewer" opens a popup window that gets P2P bytes, and the first keeps playing', async () => {
    const opener = await openViewer('viewer1');
    try {
      await opener.waitForFunction(() => document.querySelector('video')!.currentTime > 2, { timeout: 15_000 });
      const popupTarget = opener.browser().waitForTarget((t) => t.opener() === opener.target(), { timeout: 10_000 });
      await opener.click('#second-viewer-link');
      const popup = (await (await popupTarget).page())!;
      popup.on('console', (m) => logs.push(`[popup] ${m.type()}: ${m.text()}`));
      expect(new URL(popup.url()).search).toBe(new URL(opener.url()).search); // the same stream
      await popup.waitForFunction(() => Number(document.getElementById('stat-p2p')?.dataset['value'] ?? 0) > 0, {
        timeout: 30_000,
        polling: 250,
      });
      const [a, b] = await Promise.all([shown(opener), shown(popup)]);
      expect(a.videoPaused).toBe(false);
      expect(b.p2pBytes).toBeGreaterThan(0);
      expect(
        opener
          .browser()
          .targets()
          .filter((t) => t.opener() === opener.target()),
      ).toHaveLength(1); // a window, not a navigation
    } catch (error) {
      console.log(logs.slice(-80).join('\n'));
      throw error;
    }
  }, 60_000);
});
