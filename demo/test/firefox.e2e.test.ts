/**
 * End to end in Firefox (Debian's firefox-esr, headless, through WebDriver BiDi): the demo page
 * (hls.js + Shoal) in two viewers in separate browser contexts. Both play without a stall and the
 * second gets segment bytes from the first over a WebRTC data channel between two Firefox pages.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirefox, type LaunchedBrowser } from '@shoal/test-kit';
import { startDemo, type Demo } from '../src/server.js';

interface Reading {
  httpBytes: number;
  p2pBytes: number;
  uploadBytes: number;
  peers: number;
  stalls: number;
  paused: boolean;
  currentTime: number;
}

function read(page: Page): Promise<Reading> {
  return page.evaluate(() => {
    const value = (id: string) => Number(document.getElementById(id)?.dataset['value'] ?? 0);
    const video = document.querySelector('video')!;
    return {
      httpBytes: value('stat-http'),
      p2pBytes: value('stat-p2p'),
      uploadBytes: value('stat-upload'),
      peers: value('stat-peers'),
      stalls: (window as unknown as { stalls: number }).stalls,
      paused: video.paused,
      currentTime: video.currentTime,
    };
  });
}

describe('Firefox: demo page, two viewers', () => {
  let demo: Demo;
  let firefox: LaunchedBrowser;
  let browser: Browser;
  const logs: string[] = [];

  beforeAll(async () => {
    demo = await startDemo({ port: 0, originPort: 0, trackerPort: 0 });
    firefox = await launchFirefox();
    browser = firefox.browser;
  }, 60_000);

  afterAll(async () => {
    await firefox?.close();
    await demo?.close();
  });

  async function openViewer(name: string): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.on('console', (m) => logs.push(`[${name}] ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[${name}] pageerror: ${(e as Error).message}`));
    // Stalls: `waiting` after the first `playing`, seeks left out (media events reach a capturing document listener).
    await page.evaluateOnNewDocument(() => {
      const w = window as unknown as { stalls: number; played: boolean };
      w.stalls = 0;
      w.played = false;
      document.addEventListener('playing', () => (w.played = true), true);
      document.addEventListener('waiting', (e) => (w.played && !(e.target as HTMLMediaElement).seeking ? (w.stalls += 1) : 0), true);
    });
    await page.goto(`${demo.url}?mode=vod`, { waitUntil: 'load' });
    return page;
  }

  it('plays in both, the second gets P2P bytes from the first, no stall', async () => {
    try {
      const first = await openViewer('firefox1');
      await first.waitForFunction(() => document.querySelector('video')!.currentTime > 0.5, { timeout: 20_000 });
      await new Promise((r) => setTimeout(r, 4000));
      const second = await openViewer('firefox2');
      await second.waitForFunction(() => Number(document.getElementById('stat-p2p')?.dataset['value'] ?? 0) > 0, {
        timeout: 30_000,
        polling: 250,
      });
      await second.waitForFunction(() => document.querySelector('video')!.currentTime > 4, { timeout: 20_000 });
      // The page's cards refresh once a second: the uploader's count catches up with the receiver's.
      await new Promise((r) => setTimeout(r, 1500));

      const [a, b] = await Promise.all([read(first), read(second)]);
      console.log(`firefox ${await browser.version()}: first ${JSON.stringify(a)}\nsecond ${JSON.stringify(b)}`);
      for (const viewer of [a, b]) {
        expect(viewer.paused).toBe(false);
        expect(viewer.stalls).toBe(0);
        expect(viewer.peers).toBeGreaterThanOrEqual(1);
      }
      expect(b.p2pBytes).toBeGreaterThan(0);
      expect(a.uploadBytes).toBeGreaterThan(0);
    } catch (error) {
      console.log(logs.slice(-80).join('\n'));
      throw error;
    }
  }, 90_000);
});
