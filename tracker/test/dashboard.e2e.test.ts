// The dashboard in real Chromium while viewers join and stats reports flow.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from '@shoal/test-kit';
import type { RunningTracker } from '../src/index.js';
import { binId, hexOf, TestClient, tracker } from './helpers.js';
import { RedisServer } from './cluster-env.js';

const SCREENSHOT = process.env.SHOAL_DASHBOARD_SCREENSHOT ?? join(tmpdir(), 'shoal-tracker-dashboard.png');

let chromium: LaunchedBrowser | undefined;
afterAll(async () => {
  await chromium?.close();
});

/** Viewers in three swarms, each reporting growing cumulative counters every ~1.1 s. */
async function viewers(t: RunningTracker): Promise<() => void> {
  const swarms = [binId(), binId(), binId()];
  const sizes = [5, 3, 1];
  const sessions: { swarm: string; peer: string; http: number; p2p: number; n: number; share: number }[] = [];
  for (let s = 0; s < swarms.length; s++) {
    for (let i = 0; i < sizes[s]!; i++) {
      const c = await TestClient.open(t.wsUrl);
      const peer = binId();
      await c.join(swarms[s]!, peer);
      sessions.push({ swarm: swarms[s]!, peer, http: 0, p2p: 0, n: 0, share: [0.8, 0.5, 0][s]! });
    }
  }
  let stopped = false;
  const tick = async () => {
    for (const v of sessions) {
      v.n++;
      const bytes = 400_000 + 50_000 * v.n;
      v.p2p += Math.round(bytes * v.share);
      v.http += bytes - Math.round(bytes * v.share);
      await fetch(`${t.httpUrl}/stats`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({
          v: 1,
          swarm: hexOf(v.swarm),
          peerId: hexOf(v.peer),
          httpBytes: v.http,
          p2pBytes: v.p2p,
          uploadBytes: Math.round(v.p2p / 2),
          rejectedBytes: 0,
          peers: 2,
          stalls: v.n > 3 ? 1 : 0,
          stallMs: 0,
          playingMs: v.n * 1000,
          final: false,
        }),
      });
    }
  };
  const loop = async () => {
    while (!stopped) {
      await tick();
      await new Promise((r) => setTimeout(r, 1100));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}

/** Each chart's first dataset (or the `dataset`-th), as Chart.js holds it. */
function chartData(page: Page, ids: string[], dataset = 0): Promise<(number | null)[][]> {
  return page.evaluate(
    (names, k) => {
      const w = window as unknown as {
        Chart: { getChart(id: string): { data: { datasets: { data: (number | null)[] }[] } } | undefined };
      };
      return names.map((id) => w.Chart.getChart(id)?.data.datasets[k]?.data ?? []);
    },
    ids,
    dataset,
  );
}

async function launch(): Promise<Browser> {
  chromium ??= await launchChromium();
  return chromium.browser;
}

describe('dashboard', () => {
  it('shows viewers, offload and bytes saved, overall and per swarm, with data flowing', async () => {
    const t = await tracker({ statsIntervalMs: 250, statsHistory: 120 });
    const stop = await viewers(t);
    try {
      const page = await (await launch()).newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.setViewport({ width: 1400, height: 900 });
      await page.goto(`${t.httpUrl}/`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });

      // The 15-minute view: one point per 10 s bucket, null where there is no bucket yet.
      const points = () => chartData(page, ['chart-viewers', 'chart-offload', 'chart-saved']);
      await expect
        .poll(async () => (await points())[2]!.filter((v) => (v ?? 0) > 0).length, { timeout: 15_000, interval: 500 })
        .toBeGreaterThan(0);
      await expect.poll(async () => (await points())[0]!.filter((v) => v !== null).at(-1), { timeout: 15_000, interval: 500 }).toBe(9);
      const [viewersSeries, offloadSeries] = await points();
      expect(viewersSeries).toHaveLength(90);
      expect(offloadSeries!.some((v) => v !== null && v > 40 && v < 80)).toBe(true);

      const text = (sel: string) => page.$eval(sel, (e) => e.textContent ?? '');
      expect(await text('#c-viewers')).toBe('9');
      expect(await text('#c-offload')).toMatch(/^\d+\.\d %$/);
      expect(await text('#c-saved')).toMatch(/MB$/);
      expect(await text('#c-money')).toBe('no price set');
      await expect.poll(() => page.$$eval('#swarms tr', (rows) => rows.length), { timeout: 5000 }).toBe(3);
      expect(await page.$$eval('#swarms tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent))).toEqual(['5', '3', '1']);

      await page.screenshot({ path: SCREENSHOT });

      // Per swarm: click the biggest swarm; cards and charts switch to it.
      await page.click('#swarms tr:first-child');
      await expect.poll(() => text('#c-viewers'), { timeout: 5000 }).toBe('5');
      expect(await text('#c-offload')).toBe('80.0 %');
      expect(await page.$eval('#scope', (s) => (s as HTMLSelectElement).value)).toMatch(/^[0-9a-f]{40}$/);
      expect(errors).toEqual([]);
    } finally {
      stop();
    }
  }, 60_000);

  it("shows a stream's label as text, never as HTML, in the table and the scope list", async () => {
    const t = await tracker({ statsIntervalMs: 250 });
    const swarm = binId();
    const peer = binId();
    await (await TestClient.open(t.wsUrl)).join(swarm, peer);
    const label = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    const body = {
      v: 1,
      swarm: hexOf(swarm),
      peerId: hexOf(peer),
      httpBytes: 1,
      p2pBytes: 1,
      uploadBytes: 0,
      rejectedBytes: 0,
      peers: 1,
      stalls: 0,
      stallMs: 0,
      playingMs: 1,
      final: false,
      label,
    };
    expect((await fetch(`${t.httpUrl}/stats`, { method: 'POST', body: JSON.stringify(body) })).status).toBe(204);
    const shown = t.stats().swarms[0]!.label!;
    expect(shown.startsWith('<img src=x')).toBe(true);
    const page = await (await launch()).newPage();
    await page.goto(`${t.httpUrl}/`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
    await expect.poll(() => page.$eval('#swarms tr td:first-child', (c) => c.textContent), { timeout: 5000 }).toBe(shown);
    expect(await page.$eval('#scope option:nth-child(2)', (o) => o.textContent)).toBe(shown);
    expect(await page.$$eval('#swarms img, #swarms script, #scope img', (found) => found.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  }, 30_000);

  it('on a cluster node, shows the viewers of every node and lists the nodes', async () => {
    const redis = await RedisServer.start();
    try {
      const opts = { statsIntervalMs: 250, clusterPeerTtlMs: 1500, redis: redis.url };
      const [n1, n2] = [await tracker({ ...opts, nodeId: 'edge-a' }), await tracker({ ...opts, nodeId: 'edge-b' })];
      const swarm = binId();
      for (const t of [n1, n2, n2]) await (await TestClient.open(t.wsUrl)).join(swarm, binId());
      const page = await (await launch()).newPage();
      await page.goto(`${n1.httpUrl}/`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
      const text = (sel: string) => page.$eval(sel, (e) => e.textContent ?? '');
      await expect
        .poll(() => page.$$eval('#nodes tr td:first-child', (cells) => cells.map((c) => c.textContent)), { timeout: 5000 })
        .toEqual(['edge-a (this one)', 'edge-b']);
      expect(await page.$eval('#nodes-section', (e) => (e as HTMLElement).hidden)).toBe(false);
      expect(await text('#redis')).toBe('· Redis up');
      // edge-b's snapshot in Redis may predate its two joins by up to ttl/3.
      await expect.poll(() => text('#c-viewers'), { timeout: 5000 }).toBe('3');
    } finally {
      await redis.down();
    }
  }, 30_000);
});
