/**
 * Playback over the last two minutes, one point a second: seconds of buffer ahead of the playhead,
 * live latency (how far behind the live edge, live streams only) and the rendition playing, as a
 * step line on its own axis. The current values are written out beside the chart.
 */
import { formatMs } from './format.js';
import { libraries } from './globals.js';

const WINDOW_S = 120;

/** What one sample reads off the player. */
export interface PlaybackSample {
  readonly bufferS: number;
  /** Height of the rendition playing (px), null before one plays. */
  readonly renditionP: number | null;
  /** Live latency (s), null for VOD or before it is known. */
  readonly latencyS: number | null;
}

export interface PlaybackChart {
  push(sample: PlaybackSample): void;
  reset(): void;
}

export function createPlaybackChart(canvas: HTMLCanvasElement, readout: (id: string, text: string) => void): PlaybackChart {
  const { Chart } = libraries();
  const labels: string[] = [];
  const buffer: Array<number | null> = [];
  const latency: Array<number | null> = [];
  const rendition: Array<number | null> = [];
  const all = [labels, buffer, latency, rendition] as const;
  const clear = () => {
    for (const series of all) series.length = 0;
    for (let i = 0; i < WINDOW_S; i++) {
      labels.push('');
      buffer.push(null);
      latency.push(null);
      rendition.push(null);
    }
  };
  clear();
  const line = (label: string, data: Array<number | null>, color: string, yAxisID: string, stepped = false) => ({
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2,
    pointRadius: 0,
    stepped,
    spanGaps: false,
    yAxisID,
  });
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        line('Buffer ahead (s)', buffer, '#38bdf8', 'seconds'),
        line('Live latency (s)', latency, '#f472b6', 'seconds'),
        line('Rendition (p)', rendition, '#facc15', 'rendition', true),
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 12 } } },
      scales: {
        x: { grid: { display: false }, ticks: { autoSkip: false, maxRotation: 0 } },
        seconds: { position: 'left', beginAtZero: true, title: { display: true, text: 'seconds' } },
        rendition: {
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          ticks: { precision: 0, callback: (v) => `${String(v)}p` },
        },
      },
    },
  });

  let samples = 0;
  return {
    push(s) {
      const second = samples++;
      labels.push(second % 20 === 0 ? `${second}s` : '');
      buffer.push(Math.round(s.bufferS * 10) / 10);
      latency.push(s.latencyS === null ? null : Math.round(s.latencyS * 10) / 10);
      rendition.push(s.renditionP);
      while (labels.length > WINDOW_S) for (const series of all) series.shift();
      chart.update('none');
      readout('buffer-now', formatMs(s.bufferS * 1000));
      readout('rendition-now', s.renditionP === null ? '—' : `${s.renditionP}p`);
      readout('latency-now', s.latencyS === null ? 'VOD' : formatMs(s.latencyS * 1000));
    },
    reset() {
      clear();
      samples = 0;
      chart.update('none');
      for (const id of ['buffer-now', 'rendition-now', 'latency-now']) readout(id, '—');
    },
  };
}
