/**
 * What report.html shows, decided as pure functions (unit-tested; report-page.ts draws it):
 * each viewer's errors named, charts and cards without data left out, memory lines readable.
 */
import type { BenchResult, PeerResult } from './types.js';

/** Text for innerHTML. */
export function escapeText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const FIRST_ERROR_CHARS = 80;

/** The errors cell of a viewer: fatal ones in full, else how many and the first one's text (all of them on hover). */
export function errorsCell(p: Pick<PeerResult, 'fatalErrors' | 'errors' | 'errorCount'>): string {
  if (p.fatalErrors.length > 0) return `<span class="bad">${escapeText(p.fatalErrors.join(', '))}</span>`;
  if (p.errorCount === 0) return '0';
  const first = p.errors[0] ?? 'no message kept';
  const short = first.length > FIRST_ERROR_CHARS ? first.slice(0, FIRST_ERROR_CHARS - 1) + '…' : first;
  return `<span class="error" title="${escapeText(p.errors.join('\n'))}">${p.errorCount} × ${escapeText(short)}</span>`;
}

/** The stalls chart only when some viewer stalled (an all-zero chart reads as broken). */
export function showsStallsChart(run: Pick<BenchResult, 'perPeer'>): boolean {
  return run.perPeer.some((p) => p.stalls > 0 || p.stallMs > 0);
}

/** Live latency (card and chart) only for live runs with a measure: VOD has no live edge. */
export function showsLiveLatency(run: Pick<BenchResult, 'mode' | 'liveLatencyS'>): boolean {
  return run.mode === 'live' && run.liveLatencyS !== null;
}

export interface LineStyle {
  readonly color: string;
  readonly width: number;
  readonly dash?: readonly number[];
}

/**
 * The memory chart's lines: dark enough against the white panel (contrast 4.5:1 or more), 2.5 px,
 * told apart by hue and dash; the store (a few MB beside hundreds) gets its own axis.
 */
export const MEMORY_LINES = {
  renderer: { color: '#a04000', width: 2.5 },
  heap: { color: '#1f5f9e', width: 2.5, dash: [6, 3] },
  store: { color: '#6c3483', width: 2.5, dash: [2, 2] },
} satisfies Record<string, LineStyle>;
