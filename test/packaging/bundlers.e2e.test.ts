/**
 * Issue #13: the SDK works unchanged in esbuild, Vite, webpack 5 and Rollup browser builds.
 * @shoal/core and @shoal/hlsjs are packed (`npm pack`, as published), installed into a fresh
 * folder outside the workspace with hls.js, and a tiny page is built with each bundler using its
 * plain browser settings (no process/Buffer shims). Two Chromium pages play it against the local
 * origin and tracker: the second must receive bytes from the first over WebRTC.
 * Needs `npm run build` first (npm test does it).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MEDIA_ROOT,
  freshFolder,
  installInto,
  launchChromium,
  packWorkspaces,
  REPO_ROOT,
  startOrigin,
  type LaunchedBrowser,
  type Origin,
} from '@shoal/test-kit';
import { startTracker, type RunningTracker } from '@shoal/tracker';
import { writeAppSources, writeDropInPage, type PageState } from './app-page.js';
import { BUNDLERS, buildWith } from './bundlers.js';
import { serveFolder, type StaticServer } from './static-server.js';

const FIRST_PAGE_PLAYED_S = 4;
const PAGE_WAIT_MS = 40_000;

describe('packed tarballs in every common bundler', () => {
  let tarballDir: string;
  let appDir: string;
  let entry: string;
  let origin: Origin;
  let tracker: RunningTracker;
  let site: StaticServer;
  let chromium: LaunchedBrowser;
  let browser: Browser;

  beforeAll(async () => {
    for (const built of ['packages/core/dist/browser/index.js', 'packages/hlsjs/dist/index.js']) {
      if (!existsSync(path.join(REPO_ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
    }
    tarballDir = freshFolder('shoal-tarballs-');
    const tarballs = await packWorkspaces(['@shoal/core', '@shoal/hlsjs'], tarballDir);
    appDir = freshFolder('shoal-bundler-app-');
    await installInto(appDir, [...tarballs, 'hls.js@^1.5.0']);
    entry = writeAppSources(appDir);
    mkdirSync(path.join(appDir, 'out'));
    [origin, tracker, site, chromium] = await Promise.all([
      startOrigin({ root: DEFAULT_MEDIA_ROOT, port: 0, host: '127.0.0.1' }),
      startTracker({ port: 0, host: '127.0.0.1', logLevel: 'warn', shutdownGraceMs: 500 }),
      serveFolder(path.join(appDir, 'out')),
      launchChromium(),
    ]);
    browser = chromium.browser;
  }, 200_000);

  afterAll(async () => {
    await chromium?.close();
    await Promise.allSettled([site?.close(), tracker?.close(), origin?.close()]);
    for (const dir of [tarballDir, appDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openPage(url: string, name: string, logs: string[]): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.on('console', (m) => logs.push(`[${name}] ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[${name}] pageerror: ${(e as Error).message}`));
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  const state = (page: Page) => page.evaluate(() => (window as unknown as { shoalPage(): PageState }).shoalPage());

  /** Two viewers of the page in out/<dir>: the second must get bytes from the first over WebRTC. */
  async function secondViewerGetsP2P(dir: string): Promise<void> {
    const query = new URLSearchParams({
      src: `${origin.url.replace(/\/$/, '')}/vod/sample/master.m3u8`,
      tracker: tracker.wsUrl,
      swarm: `packaging-${dir}`,
    });
    const url = `${site.url}/${dir}/index.html?${query}`;
    const logs: string[] = [];
    const first = await openPage(url, 'first', logs);
    try {
      await first.waitForFunction(`window.shoalPage?.().videoTime > ${FIRST_PAGE_PLAYED_S}`, { timeout: PAGE_WAIT_MS, polling: 250 });
      const second = await openPage(url, 'second', logs);
      await second.waitForFunction('window.shoalPage?.().p2pBytes > 0', { timeout: PAGE_WAIT_MS, polling: 250 }).catch(() => undefined);
      const [a, b] = [await state(first), await state(second)];
      const detail = `first ${JSON.stringify(a)}\nsecond ${JSON.stringify(b)}\n${logs.join('\n')}`;
      expect(b.p2pBytes, detail).toBeGreaterThan(0);
      expect([a.tracker, b.tracker], detail).toEqual(['connected', 'connected']);
      expect([...a.errors, ...b.errors], detail).toEqual([]);
      expect(
        logs.filter((l) => /pageerror|process is not defined|Buffer is not defined/.test(l)),
        detail,
      ).toEqual([]);
    } finally {
      await Promise.all(
        browser
          .browserContexts()
          .filter((c) => c !== browser.defaultBrowserContext())
          .map((c) => c.close()),
      );
    }
  }

  it.each(BUNDLERS)(
    '%s: builds the page, and the second viewer gets P2P bytes',
    async (bundler) => {
      await buildWith[bundler]({ appDir, entry, outDir: path.join(appDir, 'out', bundler) });
      await secondViewerGetsP2P(bundler);
    },
    150_000,
  );

  it('the drop-in <script> files as published (hls.min.js, shoal-hlsjs.min.js): the second viewer gets P2P bytes', async () => {
    writeDropInPage(appDir, path.join(appDir, 'out', 'drop-in'));
    await secondViewerGetsP2P('drop-in');
  }, 150_000);
});
