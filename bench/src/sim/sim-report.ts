/**
 * The simulator's report.html: one self-contained page (Chart.js inlined): the runs' headline
 * numbers, offload and origin fetches per segment against N when there are several runs, the
 * upload distribution and stalls over time of each.
 */
import { chartJsSource } from '../results/report-html.js';
import type { SimResult } from './sim-result.js';

function embed(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const PAGE = `
const runs = window.__runs;
const pct = (x) => (100 * x).toFixed(1) + '%';
const table = document.getElementById('table');
for (const r of runs) {
  const s = r.summary;
  const row = document.createElement('tr');
  for (const cell of [r.options.viewers, r.options.mode, r.options.p2p ? 'on' : 'off', pct(s.offload), pct(s.offloadLimit),
    s.originFetchesPerSegment === null ? '-' : s.originFetchesPerSegment.toFixed(2), s.stallsPerViewerMinute.toFixed(3),
    s.startupMedianMs === null ? '-' : Math.round(s.startupMedianMs) + ' / ' + Math.round(s.startupP95Ms) + ' ms',
    s.liveLatencyMedianS === null ? '-' : s.liveLatencyMedianS.toFixed(2) + ' s',
    s.uploadX.p50.toFixed(2) + ' / ' + s.uploadX.p95.toFixed(2), r.wallClockS.toFixed(1) + ' s']) {
    const td = document.createElement('td');
    td.textContent = String(cell);
    row.appendChild(td);
  }
  table.appendChild(row);
}
function chart(id, type, data, options) {
  const canvas = document.createElement('canvas');
  document.getElementById(id).appendChild(canvas);
  new Chart(canvas, { type, data, options: Object.assign({ animation: false }, options) });
}
const byN = runs.filter((r) => r.options.p2p).sort((a, b) => a.options.viewers - b.options.viewers);
if (byN.length > 1) {
  const labels = byN.map((r) => r.options.viewers);
  chart('vsN', 'line', { labels, datasets: [
    { label: 'offload %', data: byN.map((r) => 100 * r.summary.offload), yAxisID: 'y' },
    { label: 'offload limit %', data: byN.map((r) => 100 * r.summary.offloadLimit), yAxisID: 'y' },
    { label: 'origin fetches / segment', data: byN.map((r) => r.summary.originFetchesPerSegment), yAxisID: 'y1' },
  ] }, { scales: { x: { title: { display: true, text: 'viewers (N)' } }, y: { position: 'left' }, y1: { position: 'right' } } });
} else {
  document.getElementById('vsN').textContent = 'One P2P run: offload and origin fetches against N need several (pass several --viewers values).';
}
for (const r of runs) {
  const title = document.createElement('h2');
  title.textContent = r.options.viewers + ' viewers, ' + r.options.mode + ', P2P ' + (r.options.p2p ? 'on' : 'off') + ', seed ' + r.options.seed;
  document.getElementById('runs').appendChild(title);
  const box = document.createElement('div');
  box.id = 'run' + runs.indexOf(r);
  box.className = 'row';
  document.getElementById('runs').appendChild(box);
  const up = r.viewers.map((v) => v.uploadX).sort((a, b) => a - b);
  const bins = new Array(20).fill(0);
  const top = Math.max(1e-9, up[up.length - 1] || 1);
  for (const x of up) bins[Math.min(19, Math.floor((x / top) * 20))]++;
  const a = document.createElement('div'); a.id = box.id + 'u'; box.appendChild(a);
  chart(a.id, 'bar', { labels: bins.map((_, i) => ((i + 0.5) * top / 20).toFixed(2) + 'x'), datasets: [{ label: 'viewers by upload (x bitrate)', data: bins }] });
  const b = document.createElement('div'); b.id = box.id + 's'; box.appendChild(b);
  const pts = r.timeline.points;
  chart(b.id, 'line', { labels: pts.map((p) => p.s), datasets: [
    { label: 'stalls (cumulative)', data: pts.map((p) => p.stalls), yAxisID: 'y' },
    { label: 'viewers', data: pts.map((p) => p.viewers), yAxisID: 'y1' },
  ] }, { scales: { x: { title: { display: true, text: 'simulated s' } }, y: { position: 'left' }, y1: { position: 'right' } } });
}
`;

export function simReportHtml(runs: readonly SimResult[]): string {
  const light = runs.map((r) => ({
    ...r,
    viewers: r.viewers.map((v) => ({ uploadX: v.uploadX })),
  }));
  return `<!doctype html><html><head><meta charset="utf-8"><title>Shoal swarm simulation</title>
<style>body{font:14px system-ui;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}.row{display:flex;gap:2em}.row>div{width:45%}#vsN{width:60%}</style>
<script>${chartJsSource()}</script></head><body>
<h1>Shoal swarm simulation</h1>
<table><thead><tr><th>N</th><th>mode</th><th>P2P</th><th>offload</th><th>limit</th><th>origin fetches/segment</th><th>stalls/viewer-min</th><th>startup median / p95</th><th>live latency</th><th>upload p50 / p95 (x bitrate)</th><th>wall clock</th></tr></thead><tbody id="table"></tbody></table>
<h2>Offload and origin fetches against N</h2><div id="vsN"></div>
<div id="runs"></div>
<script>window.__runs = ${embed(light)};</script>
<script>${PAGE}</script></body></html>`;
}
