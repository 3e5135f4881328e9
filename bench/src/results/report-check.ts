/**
 * Opens a report.html in headless Chromium and says what rendered: every chart with its data
 * points, and any page error. Optionally saves a full-page screenshot. Used by the report test,
 * and by hand: tsx --conditions=source bench/src/results/report-check.ts out/x/report.html /tmp/r.png
 */
import { pathToFileURL } from 'node:url';
import { launchChromium } from '@shoal/test-kit';

export interface RenderedChart {
  readonly title: string;
  readonly type: string;
  readonly datasets: number;
  /** Data points that are numbers (null gaps not counted). */
  readonly points: number;
}

export interface RenderedReport {
  readonly charts: RenderedChart[];
  readonly tables: number;
  /** The headline cards as "key: value". */
  readonly cards: string[];
  readonly errors: string[];
  readonly title: string;
}

export async function renderInChromium(htmlPath: string, screenshotPath?: string): Promise<RenderedReport> {
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push((error as Error).message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.setViewport({ width: 1300, height: 900 });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: 30_000 });
    await page
      .waitForFunction('window.__reportReady === true', { timeout: 10_000 })
      .catch(() => errors.push('report script did not finish'));
    // A string, not a function: tsx's name helpers would not exist inside the page.
    const found = (await page.evaluate(`(() => {
      const charts = [...document.querySelectorAll('canvas')].map((canvas) => {
        const chart = Chart.getChart(canvas);
        const title = canvas.closest('.panel')?.querySelector('h3')?.textContent ?? '';
        if (!chart) return { title, type: 'none', datasets: 0, points: 0 };
        const sets = chart.data.datasets;
        const points = sets.reduce((n, d) => n + d.data.filter((v) => typeof v === 'number' && Number.isFinite(v)).length, 0);
        return { title, type: chart.config.type, datasets: sets.length, points };
      });
      const cards = [...document.querySelectorAll('.card')].map((card) => card.querySelector('.k')?.textContent + ': ' + card.querySelector('.v')?.textContent);
      return { charts, tables: document.querySelectorAll('table').length, cards, title: document.title };
    })()`)) as Omit<RenderedReport, 'errors'>;
    if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
    return { ...found, errors };
  } finally {
    await chromium.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [html, shot] = process.argv.slice(2);
  if (!html) {
    process.stderr.write('usage: report-check.ts REPORT.html [SCREENSHOT.png]\n');
    process.exit(2);
  }
  renderInChromium(html, shot).then(
    (report) => {
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      process.exit(report.errors.length ? 1 : 0);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
