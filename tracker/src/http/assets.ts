/**
 * Static files of the dashboard, read once at start. Chart.js is served from the installed
 * package (no CDN).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly cache: string;
}

function chartJsPath(): string {
  const require = createRequire(import.meta.url);
  // The package's exports hide dist/chart.umd.js; find it beside the CommonJS entry.
  return join(dirname(require.resolve('chart.js')), 'chart.umd.js');
}

export function loadAssets(): Map<string, Asset> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'assets');
  const file = (name: string, type: string, cache = 'no-cache'): Asset => ({ type, body: readFileSync(join(dir, name)), cache });
  return new Map<string, Asset>([
    ['/dashboard', file('dashboard.html', 'text/html; charset=utf-8')],
    ['/dashboard.js', file('dashboard.js', 'text/javascript; charset=utf-8')],
    ['/dashboard-charts.js', file('dashboard-charts.js', 'text/javascript; charset=utf-8')],
    ['/dashboard.css', file('dashboard.css', 'text/css; charset=utf-8')],
    ['/assets/chart.umd.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(chartJsPath()), cache: 'public, max-age=86400' }],
  ]);
}
