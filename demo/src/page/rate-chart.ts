/**
 * Live chart: bytes per second by source (HTTP and P2P stacked above the axis, upload below it)
 * and the running offload % on the right axis.
 */
import { COLORS } from './colors.js';
import { formatBytes } from './format.js';
import { libraries, type ShoalLiveStats } from './globals.js';

/** Seconds on screen; the window starts full (empty), so bars keep their width and scroll left. */
const WINDOW_S = 60;

export interface RateChart {
  push(stats: ShoalLiveStats): void;
  reset(): void;
}

export function createRateChart(canvas: HTMLCanvasElement): RateChart {
  const { Chart } = libraries();
  Chart.defaults.color = '#94a3b8';
  Chart.defaults.borderColor = 'rgba(148, 163, 184, 0.14)';
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  const labels: string[] = [];
  const http: Array<number | null> = [];
  const p2p: Array<number | null> = [];
  const upload: Array<number | null> = [];
  const offload: Array<number | null> = [];
  const all = [labels, http, p2p, upload, offload] as const;
  const clear = () => {
    labels.length = http.length = p2p.length = upload.length = offload.length = 0;
    for (let i = 0; i < WINDOW_S; i++) {
      labels.push('');
      for (const series of [http, p2p, upload, offload]) series.push(null);
    }
  };
  clear();
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'HTTP (origin)', data: http, backgroundColor: COLORS.http, stack: 'bytes', yAxisID: 'y', order: 2 },
        { label: 'P2P (peers)', data: p2p, backgroundColor: COLORS.p2p, stack: 'bytes', yAxisID: 'y', order: 2 },
        { label: 'Uploaded', data: upload, backgroundColor: COLORS.upload, stack: 'bytes', yAxisID: 'y', order: 2 },
        {
          type: 'line',
          label: 'Offload % (total)',
          data: offload,
          borderColor: COLORS.offload,
          backgroundColor: COLORS.offload,
          borderWidth: 2,
          pointRadius: 0,
          tension: 0.25,
          yAxisID: 'offload',
          order: 1,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      datasets: { bar: { barPercentage: 1, categoryPercentage: 0.9 } },
      plugins: {
        legend: {
          position: 'top',
          align: 'end',
          labels: { boxWidth: 12, boxHeight: 12, sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0) },
        },
        tooltip: {
          callbacks: {
            label: (item) =>
              item.dataset.yAxisID === 'offload'
                ? `${item.dataset.label}: ${Number(item.raw).toFixed(0)}%`
                : `${item.dataset.label}: ${formatBytes(Math.abs(Number(item.raw)))}/s`,
          },
        },
      },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { autoSkip: false, maxRotation: 0 } },
        y: {
          stacked: true,
          grid: { color: (ctx) => (ctx.tick?.value === 0 ? 'rgba(148, 163, 184, 0.55)' : 'rgba(148, 163, 184, 0.12)') },
          title: { display: true, text: '↑ download · ↓ upload  (per second)' },
          ticks: { callback: (value) => formatBytes(Math.abs(Number(value))) },
        },
        offload: {
          position: 'right',
          min: 0,
          max: 100,
          grid: { drawOnChartArea: false },
          ticks: { callback: (value) => `${value}%`, stepSize: 25 },
        },
      },
    },
  });

  let last: { at: number; http: number; p2p: number; upload: number } | undefined;
  let samples = 0;
  return {
    push(s) {
      const now = performance.now();
      // The first event covers the second since the player started.
      last ??= { at: now - 1000, http: 0, p2p: 0, upload: 0 };
      const dt = Math.max(0.25, (now - last.at) / 1000);
      const second = samples++; // one stats event a second
      labels.push(second % 10 === 0 ? elapsed(second) : '');
      http.push((s.httpBytes - last.http) / dt);
      p2p.push((s.p2pBytes - last.p2p) / dt);
      upload.push(-(s.uploadBytes - last.upload) / dt);
      offload.push(s.httpBytes + s.p2pBytes > 0 ? s.offload * 100 : null); // nothing downloaded yet: no offload, not 0 %
      last = { at: now, http: s.httpBytes, p2p: s.p2pBytes, upload: s.uploadBytes };
      while (labels.length > WINDOW_S) for (const series of all) series.shift();
      chart.update('none');
    },
    reset() {
      clear();
      last = undefined;
      samples = 0;
      chart.update('none');
    },
  };
}

function elapsed(s: number): string {
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
