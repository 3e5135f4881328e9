/**
 * report.html: one self-contained page a person reads (Chart.js inlined, no network): the run's
 * parameters and headline numbers, offload over time, bytes by source, startup, stalls and
 * latency per viewer. For --compare, both runs side by side with their ratios.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { COMPARED } from './compare.js';
import { describeCauses } from './stalls.js';
import type { BenchResult, CompareResult } from './types.js';

const require = createRequire(import.meta.url);
const PAGE_SCRIPT = fileURLToPath(new URL('./report-page.ts', import.meta.url));

export function chartJsSource(): string {
  const main = require.resolve('chart.js');
  return readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
}

/** The page's drawing code (report-page.ts and the view rules it imports) as one plain browser script. */
function pageScript(): string {
  const out = buildSync({ entryPoints: [PAGE_SCRIPT], bundle: true, write: false, format: 'iife', target: 'es2020', platform: 'browser' });
  return out.outputFiles[0]!.text;
}

/** JSON safe to embed in a <script> element. */
function embed(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderReport(result: BenchResult | CompareResult): string {
  const runs = result.kind === 'compare' ? [result.off, result.on] : [result];
  const first = runs[0]!;
  const title = `Shoal bench: ${first.mode}, ${first.peers} viewers${result.kind === 'compare' ? ', P2P off vs on' : first.params.p2p ? '' : ', P2P off'}`;
  const data = {
    kind: result.kind,
    runs,
    stallCauses: runs.map((r) => (r.stallCauses ? describeCauses(r.stallCauses) : '–')),
    compare:
      result.kind === 'compare'
        ? {
            ratios: result.ratios,
            startupRatioInterval: result.startupRatioInterval,
            savedOriginBytes: result.savedOriginBytes,
            savedOriginShare: result.savedOriginShare,
            worseThanTwin: result.worseThanTwin ?? [],
            compared: COMPARED,
          }
        : null,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f5f6f8; }
  header { background: #12324a; color: #fff; padding: 16px 28px; }
  header h1 { margin: 0 0 4px; font-size: 20px; }
  main { padding: 16px 28px 40px; max-width: 1280px; }
  h2 { font-size: 17px; margin: 28px 0 10px; }
  .status { display: inline-block; padding: 2px 10px; border-radius: 10px; font-weight: 600; margin-left: 8px; }
  .ok { background: #2e8b57; } .fail { background: #c0392b; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; }
  .card { background: #fff; border-radius: 8px; padding: 10px 14px; box-shadow: 0 1px 2px #0002; }
  .card .v { font-size: 22px; font-weight: 650; } .card .k { color: #5a6472; font-size: 12px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 14px; }
  .panel { background: #fff; border-radius: 8px; padding: 12px 14px; box-shadow: 0 1px 2px #0002; }
  .panel h3 { margin: 0 0 8px; font-size: 14px; } .panel p { margin: 4px 0 8px; color: #5a6472; font-size: 12px; }
  .chart { position: relative; height: 280px; }
  table { border-collapse: collapse; background: #fff; font-size: 12.5px; }
  th, td { padding: 4px 10px; border-bottom: 1px solid #e3e6ea; text-align: right; white-space: nowrap; }
  th:first-child, td:first-child { text-align: left; }
  table.text td:last-child, table.text th:last-child { text-align: left; white-space: normal; max-width: 760px; }
  .bad { color: #c0392b; font-weight: 600; } .error { color: #8a4b00; white-space: normal; display: inline-block; max-width: 360px; text-align: left; } .good { color: #2e8b57; }
  .scroll { overflow-x: auto; }
</style>
</head>
<body>
<header><h1>${escapeHtml(title)}<span class="status ${result.ok ? 'ok' : 'fail'}">${result.ok ? 'OK' : 'FAILED'}</span></h1>
<div>${escapeHtml(first.startedAt)} · ${escapeHtml(first.params.streamUrl)}</div></header>
<main id="main"></main>
<script>${chartJsSource()}</script>
<script>const DATA = ${embed(data)};</script>
<script>${pageScript()}</script>
</body>
</html>
`;
}
