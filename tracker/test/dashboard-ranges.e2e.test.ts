// The dashboard's time ranges in real Chromium, on history restored from a --state-file: gaps drawn
// as gaps, whole numbers on the Viewers axis, money saved, startup and rebuffering, viewers with
// and without peers side by side; at 1280 and 420 px wide, with no sideways scrolling and no
// console error. Screenshots go to $SHOAL_DASHBOARD_SCREENSHOTS (default: the temp directory).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from '@shoal/test-kit';
import { StatsStore } from '../src/stats/store.js';
import { zeroCounters } from '../src/stats/report.js';
import { binId, hexOf, TestClient, tracker } from './helpers.js';

const SHOTS = process.env.SHOAL_DASHBOARD_SCREENSHOTS ?? tmpdir();
const MIN = 60_000;

/** What the test reads of a Chart.js chart in the page. */
interface PageChart {
  data: { datasets: { data: (number | null)[]; spanGaps: boolean }[] };
  scales: { y: { ticks: { value: number }[] } };
}
type ChartWindow = { Chart: { getChart(id: string): PageChart } };

let chromium: LaunchedBrowser | undefined;
afterAll(async () => {
  await chromium?.close();
});

/** A state file holding one labelled stream's last hour: two busy minutes, 20 silent ones (a gap), then more. */
function stateFile(swarm: string, now: number): string {
  const store = new StatsStore(360, 60, 100, 10_000);
  const at = (minutesAgo: number) => now - minutesAgo * MIN;
  const d = (over: Partial<ReturnType<typeof zeroCounters>>) => ({ ...zeroCounters(), ...over });
  store.add(swarm, d({ httpBytes: 2e8, p2pBytes: 8e8, playingMs: 10 * MIN }), at(40), 'Evening news', {
    peered: true,
    startupMs: [800, 1200, 1900],
  });
  store.tick(at(40), 3, [[swarm, 3]]);
  store.add(swarm, d({ httpBytes: 3e8, p2pBytes: 6e8, stalls: 1, stallMs: 1500, playingMs: 8 * MIN }), at(39), undefined, {
    peered: true,
    startupMs: [],
  });
  store.tick(at(39), 2, [[swarm, 2]]);
  store.add(swarm, d({ httpBytes: 4e8, stalls: 2, stallMs: 6000, playingMs: 5 * MIN }), at(15), undefined, {
    peered: false,
    startupMs: [3500],
  });
  store.tick(at(15), 1, [[swarm, 1]]);
  const path = join(mkdtempSync(join(tmpdir(), 'shoal-dash-')), 'state.json');
  writeFileSync(path, JSON.stringify({ version: 1, savedAt: new Date(now).toISOString(), store: store.save(now), sessions: [] }));
  return path;
}

describe('dashboard time ranges', () => {
  it('shows the last hour from the state file with gaps, integer viewers, money and QoE, at 1280 and 420 px', async () => {
    const swarm = binId();
    const path = stateFile(hexOf(swarm), Date.now());
    const t = await tracker({ statsIntervalMs: 250, stateFile: path, egressCostPerGb: 0.05, egressCurrency: 'USD' });
    await (await TestClient.open(t.wsUrl)).join(swarm, binId());
    chromium ??= await launchChromium();
    const page = await chromium.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.setViewport({ width: 1280, height: 1000 });
    await page.goto(`${t.httpUrl}/`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
    await page.click('#ranges button[data-range="1h"]');
    await page.waitForSelector('body[data-range="1h"]', { timeout: 5000 });
    const text = (sel: string) => page.$eval(sel, (e) => e.textContent ?? '');

    const chart = () =>
      page.evaluate(() => {
        const c = (window as unknown as ChartWindow).Chart.getChart('chart-viewers');
        return { data: c.data.datasets[0]!.data, ticks: c.scales.y.ticks.map((k) => k.value), spanGaps: c.data.datasets[0]!.spanGaps };
      });
    const viewers = await chart();
    expect(viewers.data).toHaveLength(60);
    // 3 viewers 40 min ago, 2 a minute later, 20 silent minutes, 1 viewer 15 min ago, then now's.
    const seen = viewers.data.map((v, i) => [i, v] as const).filter(([, v]) => v !== null);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[0]![1]).toBe(3);
    const gap = viewers.data.slice(seen[1]![0] + 1, seen[2]![0]);
    expect(gap.length).toBeGreaterThan(10);
    expect(gap.every((v) => v === null)).toBe(true);
    expect(viewers.spanGaps).toBe(false);
    expect(viewers.ticks.every((v) => Number.isInteger(v))).toBe(true);

    expect(await text('#c-peak')).toBe('3');
    expect(await text('#c-offload')).toBe('60.9 %'); // 1.4 GB from peers of 2.3 GB
    expect(await text('#c-saved')).toBe('1.40 GB');
    expect(await text('#c-money')).toMatch(/^\$0\.0700$/);
    expect(await text('#c-startup')).toMatch(/^\d\.\d\d s \/ \d\.\d\d s$/);
    expect(await text('#c-rebuffer')).toBe('0.54 %'); // 7.5 s stalled in 23 min
    expect(await page.$eval('#compare', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await page.$$eval('#compare-rows tr td:first-child', (c) => c.map((x) => x.textContent))).toEqual([
      'With peers',
      'Without peers',
    ]);
    expect(await page.$eval('#swarms tr td:first-child', (c) => c.textContent)).toBe('Evening news');
    const startup = await page.evaluate(() => {
      const c = (window as unknown as ChartWindow).Chart.getChart('chart-startup');
      return c.data.datasets.map((d) => d.data.filter((v) => v !== null).length);
    });
    expect(startup).toEqual([2, 2]);
    await page.screenshot({ path: join(SHOTS, 'shoal-dashboard-1280.png'), fullPage: true });

    await page.setViewport({ width: 420, height: 900 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 420, { timeout: 5000 });
    const overflow = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => e.tagName + (e.id ? '#' + e.id : '')),
    );
    expect(overflow).toEqual([]);
    for (const id of ['c-money', 'chart-viewers', 'chart-rebuffer', 'swarms', 'compare-rows']) {
      expect(await page.$eval('#' + id, (e) => e.getBoundingClientRect().width > 0)).toBe(true);
    }
    await page.screenshot({ path: join(SHOTS, 'shoal-dashboard-420.png'), fullPage: true });
    expect(errors).toEqual([]);

    // The ranges go back into the state file at stop, with the new minute's bucket.
    await t.close();
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { store: { ranges: Record<string, { t: number }[]> } };
    expect(saved.store.ranges['1h']!.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
