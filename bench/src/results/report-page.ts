/**
 * Browser-side script of report.html (type-checked here, stripped to JS by esbuild and inlined by
 * report-html.ts): reads DATA and draws the tables and Chart.js charts.
 */
import type { BenchResult, Check, TwinStalls } from './types.js';
import type { RatioInterval } from './uncertainty.js';
import { ci, el, mb, num, panel, pct, RUN_COLORS, section, table, text } from './report-dom.js';
import { label, peerCharts } from './report-peer-charts.js';
import { errorsCell, showsLiveLatency } from './report-view.js';

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
