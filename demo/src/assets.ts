/** The demo page's files: its HTML/CSS, the bundled page script, and the libraries it loads. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundlePage, HLS_SCRIPT_PATH } from '@shoal/test-kit';
import { packageDistFile, paths } from './paths.js';

export interface Asset {
  type: string;
  body: Buffer;
}

const JS = 'text/javascript; charset=utf-8';

/** Loads every file the page needs, once; fails with a clear message when one is missing. */
export async function loadAssets(): Promise<Map<string, Asset>> {
  if (!existsSync(paths.shoalIife)) {
    throw new Error(`demo: ${path.relative(process.cwd(), paths.shoalIife)} is missing; run \`npm run build\` first (npm start does)`);
  }
  const files: Array<[route: string, file: string, type: string]> = [
    ['/', path.join(paths.publicDir, 'index.html'), 'text/html; charset=utf-8'],
    ['/style.css', path.join(paths.publicDir, 'style.css'), 'text/css; charset=utf-8'],
    ['/favicon.svg', path.join(paths.publicDir, 'favicon.svg'), 'image/svg+xml'],
    ['/vendor/shoal-hlsjs.iife.js', paths.shoalIife, JS],
    ['/vendor/hls.min.js', HLS_SCRIPT_PATH, JS],
    ['/vendor/chart.umd.js', packageDistFile('chart.js', 'chart.umd.js'), JS],
  ];
  const assets = new Map<string, Asset>();
  await Promise.all(
    files.map(async ([route, file, type]) => {
      assets.set(route, { type, body: await readFile(file) });
    }),
  );
  const bundle = await bundlePage(paths.pageEntry);
  assets.set('/app.js', { type: JS, body: Buffer.from(bundle.js) });
  assets.set('/app.js.map', { type: 'application/json', body: Buffer.from(bundle.map) });
  return assets;
}
