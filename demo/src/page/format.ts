/** Number formatting for people: bytes, durations, percentages. */

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1000) return `${Math.round(bytes)} B`;
  if (abs < 1_000_000) return `${(bytes / 1000).toFixed(abs < 10_000 ? 1 : 0)} kB`;
  if (abs < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(abs < 10_000_000 ? 2 : 1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.1 ? 1 : 0)}%`;
}

export function formatClock(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

/** The distinguishing part of a peer id: its tail (every Shoal id starts with the same client prefix). */
export function shortPeerId(id: string): string {
  return id.slice(-8);
}
