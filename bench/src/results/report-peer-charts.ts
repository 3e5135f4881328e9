/** The report's per-run charts: offload, bytes, connections, health, stalls, latency and memory over time. */
import type { BenchResult, PeerResult } from './types.js';
import { COLORS, el, line, panel } from './report-dom.js';
import { MEMORY_LINES, showsLiveLatency, showsStallsChart } from './report-view.js';

export function label(p: PeerResult): string {
  return `${p.kind === 'node' ? 'n' : 'p'}${p.index}${p.closedAtS !== null ? ' (left)' : ''}`;
}

export function peerCharts(parent: HTMLElement, run: BenchResult): void {
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
