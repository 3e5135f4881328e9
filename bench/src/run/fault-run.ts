/**
 * One Chromium page per scenario against a local origin with injected faults: the same page with
 * Shoal, or with plain hls.js (?shoal=0), so a test can compare what hls.js ends up seeing.
 * Scenarios run one after another in one browser; each is bounded by its duration.
 */
import { launchChromium, DEFAULT_MEDIA_ROOT, startOrigin, type FaultRule } from '@shoal/test-kit';
import { startPageServer } from '../browser/page-server.js';
import { startLocalTracker } from './local-tracker.js';
import { readMetrics, type PlayerPageMetrics } from './page-metrics.js';

export interface FaultScenario {
  readonly name: string;
  readonly faults: FaultRule[];
  /** Plain hls.js instead of Shoal. */
  readonly plain: boolean;
  readonly durationS: number;
  readonly mode?: 'vod' | 'live';
  readonly hlsConfig?: Record<string, unknown>;
  readonly shoalConfig?: Record<string, unknown>;
}

export interface FaultOutcome {
  readonly scenario: FaultScenario;
  readonly metrics: PlayerPageMetrics;
  /** Media time reached at the end. */
  readonly currentTimeS: number;
  /** Requests the origin received for paths matching each fault rule. */
  readonly requestsPerRule: number[];
}

export async function runFaultScenarios(scenarios: readonly FaultScenario[], log?: (message: string) => void): Promise<FaultOutcome[]> {
  const pageServer = await startPageServer();
  const tracker = await startLocalTracker();
  const chromium = await launchChromium();
  const outcomes: FaultOutcome[] = [];
  try {
    for (const scenario of scenarios) {
      const origin = await startOrigin({ root: DEFAULT_MEDIA_ROOT });
      try {
        origin.setFaults(scenario.faults);
        const params = new URLSearchParams({
          src: `${origin.url}/${scenario.mode ?? 'vod'}/sample/master.m3u8`,
          p2p: '1',
          tracker: tracker.wsUrl,
          shoal: scenario.plain ? '0' : '1',
        });
        if (scenario.hlsConfig) params.set('hls', JSON.stringify(scenario.hlsConfig));
        if (scenario.shoalConfig) params.set('config', JSON.stringify(scenario.shoalConfig));
        const context = await chromium.browser.createBrowserContext();
        const page = await context.newPage();
        page.on('pageerror', (error) => log?.(`[${scenario.name}] ${(error as Error).message}`));
        if (process.env.SHOAL_PAGE_CONSOLE) page.on('console', (message) => log?.(`[${scenario.name}] ${message.text()}`));
        await page.goto(`${pageServer.url}/player.html?${params}`);
        await new Promise((resolve) => setTimeout(resolve, scenario.durationS * 1000));
        const metrics = await readMetrics(page);
        const currentTimeS = await page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).currentTime);
        await context.close();
        const byPath = origin.stats().byPath;
        const requestsPerRule = scenario.faults.map((rule) => {
          const re = compile(rule.match);
          return Object.entries(byPath)
            .filter(([p]) => (typeof rule.match === 'string' && p.includes(rule.match)) || (re !== undefined && re.test(p)))
            .reduce((sum, [, count]) => sum + count.requests, 0);
        });
        outcomes.push({ scenario, metrics, currentTimeS, requestsPerRule });
      } finally {
        await origin.close();
      }
    }
    return outcomes;
  } finally {
    await chromium.close();
    await tracker.close();
    await pageServer.close();
  }
}

/** A rule matches as a substring or as a RegExp source, as the origin's fault table does. */
function compile(match: string | RegExp): RegExp | undefined {
  if (match instanceof RegExp) return match;
  try {
    return new RegExp(match);
  } catch {
    return undefined;
  }
}
