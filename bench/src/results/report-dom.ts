/**
 * The report page's building blocks: elements, number formats, sections, tables and Chart.js
 * panels (report-page.ts puts them together).
 */
import type { Chart as ChartClass, ChartConfiguration } from 'chart.js';
import type { RatioInterval } from './uncertainty.js';
import { escapeText, type LineStyle } from './report-view.js';

declare const Chart: typeof ChartClass;

export const COLORS = { http: '#e67e22', p2p: '#2e86de', upload: '#7f8c8d', limit: '#27ae60', stalls: '#c0392b', other: '#8e44ad' };
export const RUN_COLORS = ['#e67e22', '#2e86de'];
const main = document.getElementById('main')!;
let chartCount = 0;

export function el(tag: string, attrs: Record<string, string> = {}, html = ''): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.innerHTML = html;
  return node;
}

export const text = escapeText;

/** Chart.js line options for a style; spanGaps joins samples taken less often than the timeline's points. */
export function line(style: LineStyle) {
  return {
    borderColor: style.color,
    backgroundColor: style.color,
    borderWidth: style.width,
    borderDash: [...(style.dash ?? [])],
    pointRadius: 0,
    spanGaps: true,
  };
}

export function mb(bytes: number | null): string {
  return bytes === null ? '–' : `${(bytes / 1e6).toFixed(2)} MB`;
}

export function pct(x: number | null): string {
  return x === null ? '–' : `${(100 * x).toFixed(1)}%`;
}

export function num(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? '–' : x.toFixed(digits);
}

export function section(title: string): HTMLElement {
  main.appendChild(el('h2', {}, text(title)));
  const box = el('div');
  main.appendChild(box);
  return box;
}

export function panel(parent: HTMLElement, title: string, note: string, config: ChartConfiguration): void {
  const p = el('div', { class: 'panel' }, `<h3>${text(title)}</h3>${note ? `<p>${text(note)}</p>` : ''}`);
  const holder = el('div', { class: 'chart' });
  const canvas = el('canvas', { id: `chart-${chartCount++}` }) as HTMLCanvasElement;
  holder.appendChild(canvas);
  p.appendChild(holder);
  parent.appendChild(p);
  config.options = { maintainAspectRatio: false, animation: false, ...config.options };
  new Chart(canvas, config);
}

export function ci(interval: RatioInterval | null): string {
  return interval ? `, ${Math.round(interval.level * 100)}% CI ${interval.low.toFixed(2)}–${interval.high.toFixed(2)}` : '';
}

export function table(parent: HTMLElement, head: string[], rows: string[][], className = ''): void {
  const wrap = el('div', { class: 'scroll' });
  const t = el(
    'table',
    { class: className },
    `<tr>${head.map((h) => `<th>${text(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}`,
  );
  wrap.appendChild(t);
  parent.appendChild(wrap);
}
