/**
 * Browser-side script of report.html (type-checked here, stripped to JS by esbuild and inlined by
 * report-html.ts): reads DATA and draws the tables and Chart.js charts.
 */
import type { Chart as ChartClass, ChartConfiguration } from 'chart.js';
import type { BenchResult, Check, PeerResult, TwinStalls } from './types.js';
import type { RatioInterval } from './uncertainty.js';
import { errorsCell, escapeText, MEMORY_LINES, showsLiveLatency, showsStallsChart, type LineStyle } from './report-view.js';

interface ReportData {
  kind: 'run' | 'compare';
  runs: BenchResult[];
  /** Per run: why its stalls happened, one line (see stalls.ts). */
  stallCauses: string[];
  compare: {
    ratios: Record<string, number | null>;
    startupRatioInterval: RatioInterval | null;
    savedOriginBytes: number | null;
    savedOriginShare: number | null;
    worseThanTwin: TwinStalls[];
    compared: Array<{ key: keyof BenchResult; label: string; better: 'lower' | 'higher' }>;
  } | null;
}

declare const DATA: ReportData;
declare const Chart: typeof ChartClass;

const COLORS = { http: '#e67e22', p2p: '#2e86de', upload: '#7f8c8d', limit: '#27ae60', stalls: '#c0392b', other: '#8e44ad' };
const RUN_COLORS = ['#e67e22', '#2e86de'];
const main = document.getElementById('main')!;
let chartCount = 0;

function el(tag: string, attrs: Record<string, string> = {}, html = ''): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.innerHTML = html;
  return node;
}

const text = escapeText;

/** Chart.js line options for a style; spanGaps joins samples taken less often than the timeline's points. */
function line(style: LineStyle) {
  return {
    borderColor: style.color,
    backgroundColor: style.color,
    borderWidth: style.width,
    borderDash: [...(style.dash ?? [])],
    pointRadius: 0,
    spanGaps: true,
  };
}

function mb(bytes: number | null): string {
  return bytes === null ? '–' : `${(bytes / 1e6).toFixed(2)} MB`;
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(100 * x).toFixed(1)}%`;
}

function num(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? '–' : x.toFixed(digits);
}

function section(title: string): HTMLElement {
  main.appendChild(el('h2', {}, text(title)));
  const box = el('div');
  main.appendChild(box);
  return box;
}

function panel(parent: HTMLElement, title: string, note: string, config: ChartConfiguration): void {
  const p = el('div', { class: 'panel' }, `<h3>${text(title)}</h3>${note ? `<p>${text(note)}</p>` : ''}`);
  const holder = el('div', { class: 'chart' });
  const canvas = el('canvas', { id: `chart-${chartCount++}` }) as HTMLCanvasElement;
  holder.appendChild(canvas);
  p.appendChild(holder);
  parent.appendChild(p);
  config.options = { maintainAspectRatio: false, animation: false, ...config.options };
  new Chart(canvas, config);
}

function ci(interval: RatioInterval | null): string {
  return interval ? `, ${Math.round(interval.level * 100)}% CI ${interval.low.toFixed(2)}–${interval.high.toFixed(2)}` : '';
}

function cards(parent: HTMLElement, run: BenchResult): void {
  const items: Array<[string, string]> = [
    ['offload (SDK counters)', pct(run.offload)],
    ['offload (origin vs player)', pct(run.offloadByOrigin)],
    ['offload limit (N-1)/N', pct(run.offloadLimit)],
    ['origin segment bytes', mb(run.originSegmentBytes)],
    ['origin fetches per segment', num(run.originFetchesPerSegment, 2)],
    ['stalls / stall time', `${run.stalls} / ${(run.stallMs / 1000).toFixed(1)} s`],
    ['stalls per viewer-minute', `${num(run.stallsPerViewerMinute, 3)} (${num(run.viewerMinutes, 1)} viewer-min watched)`],
    ...(run.stalls > 0
      ? [['why they stalled (segments.json has each)', DATA.stallCauses[DATA.runs.indexOf(run)] ?? '–'] as [string, string]]
      : []),
    ['startup median / max', `${num(run.startupMsMedian)} / ${num(run.startupMsMax)} ms`],
    [
      'time below healthy (device, P2P off too)',
      run.strainedShare === null || run.strainedShare === undefined ? '–' : pct(run.strainedShare),
    ],
    ...(showsLiveLatency(run) ? [['live latency (median)', `${run.liveLatencyS!.toFixed(1)} s`] as [string, string]] : []),
    ['CPU avg / peak', `${num(run.cpu.avgPercent)}% / ${num(run.cpu.peakPercent)}% of ${run.cpu.cores} cores`],
    ['memory per viewer', run.memoryPerPageMB === null ? '–' : `${run.memoryPerPageMB.toFixed(1)} MB`],
  ];
  const probes = run.startupProbes;
  if (probes) {
    items.push([
      `startup probes, ${probes.pairs} pairs: HTTP only / P2P`,
      `${num(probes.offMedianMs)} / ${num(probes.onMedianMs)} ms (${num(probes.ratio, 3)}×${ci(probes.ratioInterval)})`,
    ]);
  }
  const box = el('div', { class: 'cards' });
  for (const [k, v] of items)
    box.appendChild(el('div', { class: 'card' }, `<div class="v">${text(v)}</div><div class="k">${text(k)}</div>`));
  parent.appendChild(box);
}

function table(parent: HTMLElement, head: string[], rows: string[][], className = ''): void {
  const wrap = el('div', { class: 'scroll' });
  const t = el(
    'table',
    { class: className },
    `<tr>${head.map((h) => `<th>${text(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}`,
  );
  wrap.appendChild(t);
  parent.appendChild(wrap);
}

function params(parent: HTMLElement, run: BenchResult): void {
  const p = run.params;
  table(
    parent,
    ['parameter', 'value'],
    [
      ['mode', p.mode],
      ['viewers', `${p.pages} Chromium pages + ${p.nodePeers} node peers`],
      ['duration', `${p.durationS} s (ran ${run.elapsedS} s)`],
      ['stagger', `${p.staggerS} s`],
      ['churn', `${Math.round(p.churn * 100)}% leave at ${p.durationS / 2} s`],
      ['page CPU', p.cpuThrottle && p.cpuThrottle > 1 ? `${p.cpuThrottle}× slower (Chromium CPU throttling)` : 'not throttled'],
      ...(p.liveWindow ? [['live window', `${p.liveWindow} segments`]] : []),
      ['origin', p.https ? "HTTPS (self-signed, trusted by the bench's Chromium)" : 'plain HTTP'],
      ['P2P', DATA.kind === 'compare' ? 'off, then on (same workload twice)' : p.p2p ? 'on' : 'off'],
      ['stream', p.streamUrl],
      ['Shoal options', p.shoalConfig ? JSON.stringify(p.shoalConfig) : 'defaults'],
      ...(run.nodeWorkers.length
        ? [
            [
              'node-peer workers',
              run.nodeWorkers.map((w) => `${w.peers} peers, ${w.cpuS.toFixed(1)} CPU s, ${w.rssMB.toFixed(0)} MB RSS`).join('; '),
            ],
          ]
        : []),
    ].map(([k, v]) => [text(k!), text(v!)]),
    'text',
  );
}

function checks(parent: HTMLElement, list: Check[]): void {
  table(
    parent,
    ['check', 'result', 'detail'],
    list.map((c) => [
      text(c.name),
      c.ok ? '<span class="good">ok</span>' : `<span class="bad">${c.severity === 'fail' ? 'FAILED' : 'warning'}</span>`,
      text(c.detail),
    ]),
    'text',
  );
}

function label(p: PeerResult): string {
  return `${p.kind === 'node' ? 'n' : 'p'}${p.index}${p.closedAtS !== null ? ' (left)' : ''}`;
}

function peerCharts(parent: HTMLElement, run: BenchResult): void {
  const peers = run.perPeer;
  const labels = peers.map(label);
  const grid = el('div', { class: 'grid' });
  parent.appendChild(grid);
  panel(
    grid,
    'Offload over time',
    'Share of segment bytes that came from peers: all so far, and over the last 5 s. Dashed: (n-1)/n for the n viewers present.',
    {
      type: 'line',
      data: {
        labels: run.timeline.map((p) => p.t.toFixed(0)),
        datasets: [
          {
            label: 'offload so far %',
            data: run.timeline.map((p) => 100 * p.offload),
            borderColor: COLORS.p2p,
            pointRadius: 0,
            yAxisID: 'y',
          },
          {
            label: 'last 5 s %',
            data: run.timeline.map((p) => (p.recentOffload === null ? null : 100 * p.recentOffload)),
            borderColor: '#9ecbf5',
            pointRadius: 0,
            yAxisID: 'y',
          },
          {
            label: 'limit % (viewers present)',
            data: run.timeline.map((p) => (p.viewers > 0 ? (100 * (p.viewers - 1)) / p.viewers : null)),
            borderColor: COLORS.limit,
            borderDash: [6, 4],
            pointRadius: 0,
            yAxisID: 'y',
          },
          {
            label: 'viewers',
            data: run.timeline.map((p) => p.viewers),
            borderColor: COLORS.upload,
            stepped: true,
            pointRadius: 0,
            yAxisID: 'y2',
          },
        ],
      },
      options: {
        scales: {
          x: { title: { display: true, text: 's' } },
          y: { min: 0, max: 100, title: { display: true, text: '%' } },
          y2: { position: 'right', min: 0, grid: { drawOnChartArea: false }, title: { display: true, text: 'viewers' } },
        },
      },
    },
  );
  panel(grid, 'Bytes by source per viewer', 'What each viewer downloaded over HTTP and from peers, and what it uploaded to others.', {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'HTTP MB', data: peers.map((p) => p.httpBytes / 1e6), backgroundColor: COLORS.http, stack: 'down' },
        { label: 'P2P MB', data: peers.map((p) => p.p2pBytes / 1e6), backgroundColor: COLORS.p2p, stack: 'down' },
        { label: 'uploaded MB', data: peers.map((p) => p.uploadBytes / 1e6), backgroundColor: COLORS.upload, stack: 'up' },
      ],
    },
    options: { scales: { y: { stacked: true, title: { display: true, text: 'MB' } }, x: { stacked: true } } },
  });
  panel(grid, 'Startup per viewer', 'ms from page load (node peer start) to the first frame.', {
    type: 'bar',
    data: { labels, datasets: [{ label: 'startup ms', data: peers.map((p) => p.startupMs), backgroundColor: COLORS.other }] },
    options: { scales: { y: { min: 0, title: { display: true, text: 'ms' } } } },
  });
  if (showsStallsChart(run))
    panel(grid, 'Stalls per viewer', 'Times playback froze after it had started, and for how long in total.', {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'stalls', data: peers.map((p) => p.stalls), backgroundColor: COLORS.stalls, yAxisID: 'y' },
          { label: 'stall s', data: peers.map((p) => p.stallMs / 1000), backgroundColor: '#f1948a', yAxisID: 'y2' },
        ],
      },
      options: {
        scales: {
          y: { min: 0, suggestedMax: 1, ticks: { precision: 0 }, title: { display: true, text: 'stalls' } },
          y2: { position: 'right', min: 0, suggestedMax: 1, grid: { drawOnChartArea: false }, title: { display: true, text: 's' } },
        },
      },
    });
  if (showsLiveLatency(run)) {
    panel(grid, 'Live latency per viewer', 'Median seconds behind the live edge.', {
      type: 'bar',
      data: { labels, datasets: [{ label: 'latency s', data: peers.map((p) => p.liveLatencyS), backgroundColor: '#16a085' }] },
      options: { scales: { y: { min: 0, title: { display: true, text: 's' } } } },
    });
  }
  panel(grid, 'Machine CPU over time', `Busy share of all ${run.cpu.cores} cores (Chromium, node peers, origin, tracker together).`, {
    type: 'line',
    data: {
      labels: run.timeline.map((p) => p.t.toFixed(0)),
      datasets: [{ label: 'CPU %', data: run.timeline.map((p) => p.cpuPercent), borderColor: COLORS.stalls, pointRadius: 0 }],
    },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } } },
  });
  const trend = run.memoryTrend;
  panel(
    grid,
    'Page memory over time',
    trend
      ? `Median page: ${trend.startMB} → ${trend.endMB} MB from ${trend.fromS} s to ${trend.toS} s (${trend.slopeMBPerMin} MB/min).`
      : 'Median page renderer memory (PSS), JS heap, and the bytes Shoal holds for peers.',
    {
      type: 'line',
      data: {
        labels: run.timeline.map((p) => p.t.toFixed(0)),
        datasets: [
          { label: 'renderer MB', data: run.timeline.map((p) => p.pageMemoryMB), ...line(MEMORY_LINES.renderer), yAxisID: 'y' },
          { label: 'JS heap MB', data: run.timeline.map((p) => p.pageHeapMB), ...line(MEMORY_LINES.heap), yAxisID: 'y' },
          {
            label: 'Shoal store MB (right axis)',
            data: run.timeline.map((p) => p.pageStoreMB ?? null),
            ...line(MEMORY_LINES.store),
            yAxisID: 'y2',
          },
        ],
      },
      options: {
        scales: {
          y: { min: 0, title: { display: true, text: 'MB' } },
          y2: { position: 'right', min: 0, grid: { drawOnChartArea: false }, title: { display: true, text: 'store MB' } },
        },
      },
    },
  );
}

function peerTable(parent: HTMLElement, run: BenchResult): void {
  table(
    parent,
    [
      'viewer',
      'joined s',
      'left s',
      'HTTP MB',
      'P2P MB',
      'up MB',
      'offload',
      'startup ms',
      'watched min',
      'stalls',
      'stall ms',
      'latency s',
      'conns',
      'mem MB',
      'cpu s',
      'errors',
    ],
    run.perPeer.map((p) => [
      label(p),
      num(p.joinedAtS, 1),
      num(p.closedAtS, 1),
      (p.httpBytes / 1e6).toFixed(2),
      (p.p2pBytes / 1e6).toFixed(2),
      (p.uploadBytes / 1e6).toFixed(2),
      pct(p.offload),
      num(p.startupMs),
      num(p.watchedMin, 1),
      p.stalls > 0 ? `<span class="bad">${p.stalls}</span>` : '0',
      num(p.stallMs),
      num(p.liveLatencyS, 1),
      String(p.connections),
      num(p.memoryMB, 1),
      num(p.cpuS, 1),
      errorsCell(p),
    ]),
  );
}

function runSection(run: BenchResult, heading: string): void {
  cards(section(heading), run);
  peerCharts(section(`${run.label}: over time and per viewer`), run);
  peerTable(section(`${run.label}: every viewer`), run);
  checks(section(`${run.label}: measurement checks`), run.checks);
}

function compareSection(): void {
  const [off, on] = DATA.runs as [BenchResult, BenchResult];
  const c = DATA.compare!;
  const box = section('P2P off vs on');
  const rows = c.compared.map(({ key, label: name, better }) => {
    const a = off[key] as number | null;
    const b = on[key] as number | null;
    const r = c.ratios[key as string] ?? null;
    const good = r === null ? '' : (better === 'lower' ? r <= 1 : r >= 1) ? 'good' : 'bad';
    const fmt = (v: number | null) =>
      v === null ? '–' : key.toString().endsWith('Bytes') ? mb(v) : key === 'offload' ? pct(v) : num(v, 2);
    return [text(name), fmt(a), fmt(b), r === null ? '–' : `<span class="${good}">${r.toFixed(3)}</span>`];
  });
  table(box, ['', 'P2P off', 'P2P on', 'on / off'], rows);
  if (c.startupRatioInterval) {
    box.appendChild(
      el(
        'p',
        {},
        text(
          `Startup median on / off${ci(c.startupRatioInterval)}: the band the ratio of these two runs' medians lies in, given how first frames spread across viewers. Startup probes (P2P and HTTP-only pages in turn, same load) compare startup more tightly.`,
        ),
      ),
    );
  }
  const worse = c.worseThanTwin;
  box.appendChild(
    el(
      'p',
      {},
      worse.length === 0
        ? 'No viewer stalled more with P2P than its P2P-off twin (the viewer that joined at the same moment of the P2P-off run).'
        : `<span class="bad">Stalled more with P2P than its P2P-off twin:</span> ${text(worse.map((w) => `${w.index}: ${w.on.stalls} vs ${w.off.stalls} stalls (${w.on.stallMs} vs ${w.off.stallMs} ms)`).join('; '))}. segments.json says why.`,
    ),
  );
  box.appendChild(
    el('p', {}, `Origin bytes saved: <b>${mb(c.savedOriginBytes)}</b> (${pct(c.savedOriginShare)} of what the origin served without P2P).`),
  );
  const grid = el('div', { class: 'grid' });
  box.appendChild(grid);
  panel(grid, 'Origin bytes, P2P off vs on', '', {
    type: 'bar',
    data: {
      labels: ['origin segment MB', 'origin total MB'],
      datasets: DATA.runs.map((r, i) => ({
        label: r.label,
        data: [(r.originSegmentBytes ?? 0) / 1e6, (r.originBytes ?? 0) / 1e6],
        backgroundColor: RUN_COLORS[i],
      })),
    },
  });
  panel(grid, 'HTTP bytes over time (all viewers)', 'Cumulative segment bytes fetched over HTTP, as the SDK counted them.', {
    type: 'line',
    data: {
      labels: (off.timeline.length >= on.timeline.length ? off : on).timeline.map((p) => p.t.toFixed(0)),
      datasets: DATA.runs.map((r, i) => ({
        label: r.label,
        data: r.timeline.map((p) => p.httpBytes / 1e6),
        borderColor: RUN_COLORS[i],
        pointRadius: 0,
      })),
    },
    options: { scales: { y: { min: 0, title: { display: true, text: 'MB' } } } },
  });
}

params(section('Run parameters'), DATA.runs[0]!);
if (DATA.kind === 'compare') compareSection();
for (const run of DATA.runs) runSection(run, DATA.kind === 'compare' ? run.label : 'Headline numbers');
(window as unknown as { __reportReady: boolean }).__reportReady = true;
