/**
 * End to end, once per player built on hls.js (Plyr, Vidstack, video.js, Clappr): the demo server
 * with a real origin and tracker, two headless Chromium viewers of the player's example page in
 * separate browser contexts. The player must render, both pages play without a stall, and the
 * second gets segment bytes from the first over WebRTC.
 */
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from '@shoal/test-kit';
import { startDemo, type Demo } from '../src/server.js';
import { PLAYER_PAGES, type PlayerPage } from '../src/player-assets.js';

/** An element only the player's own rendering makes: proof the player, not a bare <video>, is on the page. */
const RENDERED_BY: Record<PlayerPage, string> = {
  plyr: '.plyr video',
  vidstack: 'media-player media-provider video',
  videojs: '.video-js video.vjs-tech',
  clappr: '[data-player] video',
};

interface Reading {
  httpBytes: number;
  p2pBytes: number;
  uploadBytes: number;
  stalls: number;
  playing: boolean;
  paused: boolean;
  currentTime: number;
  warnings: string[];
}

function read(page: Page): Promise<Reading> {
  return page.evaluate(() => {
    const state = window.shoalPlayerPage!;
    const s = state.shoal.stats();
    const video = document.querySelector('video')!;
    return {
      httpBytes: s.httpBytes,
      p2pBytes: s.p2pBytes,
      uploadBytes: s.uploadBytes,
      stalls: state.stalls,
      playing: state.playing,
      paused: video.paused,
      currentTime: video.currentTime,
      warnings: state.warnings,
    };
  });
}

describe('players built on hls.js, two viewers each', () => {
  let demo: Demo;
  let chromium: LaunchedBrowser;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: string[] = [];
  /** Requests that left loopback: a player reaching for its CDN (this machine has no internet). */
  let offsite: string[] = [];

  beforeAll(async () => {
    demo = await startDemo({ port: 0, originPort: 0, trackerPort: 0 });
    // The server bundles each page's script (megabytes of player) on its first request: done here,
    // one at a time, so a busy machine's bundling time does not count against a page's load.
    for (const player of PLAYER_PAGES) {
      const response = await fetch(`${demo.url}players/${player}.js`);
      expect(response.status, `${player}.js`).toBe(200);
      await response.arrayBuffer();
    }
    chromium = await launchChromium();
    browser = chromium.browser;
  }, 90_000);

  afterEach(async () => {
    // Each player's pair leaves before the next pair joins the demo's swarm.
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    contexts = [];
    logs = [];
    offsite = [];
  });

  afterAll(async () => {
    await chromium?.close();
    await demo?.close();
  });

  async function openViewer(player: PlayerPage, name: string): Promise<Page> {
    const context = await browser.createBrowserContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => logs.push(`[${name}] ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[${name}] pageerror: ${(e as Error).message}`));
    page.on('request', (r) => {
      if (/^https?:/.test(r.url()) && new URL(r.url()).hostname !== '127.0.0.1') offsite.push(r.url());
    });
    page.on('requestfailed', (r) => logs.push(`[${name}] request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    await page.goto(`${demo.url}players/${player}.html?mode=vod`, { waitUntil: 'load' });
    return page;
  }

  it.each(PLAYER_PAGES)(
    '%s: plays in two pages, the second gets bytes from the first, no stall',
    async (player) => {
      try {
        const first = await openViewer(player, `${player}1`);
        await first.waitForFunction(() => document.querySelector('video')!.currentTime > 0.5, { timeout: 20_000 });
        expect(await first.$(RENDERED_BY[player]), `${player} rendered its player`).not.toBeNull();
        // A few segments into the first viewer's buffer before the second arrives.
        await new Promise((r) => setTimeout(r, 4000));
        const second = await openViewer(player, `${player}2`);
        await second.waitForFunction(() => (window.shoalPlayerPage?.shoal.stats().p2pBytes ?? 0) > 0, { timeout: 30_000, polling: 250 });
        await second.waitForFunction(() => document.querySelector('video')!.currentTime > 4, { timeout: 20_000 });

        const [a, b] = await Promise.all([read(first), read(second)]);
        console.log(`${player}: first ${JSON.stringify(a)}\n${player}: second ${JSON.stringify(b)}`);
        for (const viewer of [a, b]) {
          expect(viewer.playing).toBe(true);
          expect(viewer.paused).toBe(false);
          expect(viewer.stalls).toBe(0);
          expect(viewer.httpBytes + viewer.p2pBytes).toBeGreaterThan(0);
        }
        expect(b.p2pBytes).toBeGreaterThan(0);
        expect(a.uploadBytes).toBeGreaterThan(0);
        // No warning: in particular no 'no-shoal-loader' (the player's hls.js was not made with hlsConfig()).
        expect([...a.warnings, ...b.warnings]).toEqual([]);
        expect(offsite, 'requests off this machine').toEqual([]);
      } catch (error) {
        console.log(logs.slice(-80).join('\n'));
        throw error;
      }
    },
    90_000,
  );
});
