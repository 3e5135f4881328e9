/**
 * Per-stream rows for /metrics: the MAX_STREAM_ROWS swarms with the most viewers by name, the rest
 * summed into one 'other' row, so the label sets Prometheus stores are bounded whatever the number
 * of swarms (and whatever names viewers report).
 */
import type { SwarmSummary } from './store.js';

export const MAX_STREAM_ROWS = 20;
export const OTHER = 'other';

export interface StreamRow {
  /** The swarm's hex id, or 'other'. */
  readonly swarm: string;
  /** Its label, else the id's first 12 characters; 'other' for the rest. */
  readonly stream: string;
  readonly viewers: number;
  readonly httpBytes: number;
  readonly p2pBytes: number;
}

/** The `stream` label value: the swarm's label, else its id's first 12 characters. */
export function streamName(swarm: string, label: string | null): string {
  return label ?? swarm.slice(0, 12);
}

/** `swarms`: most viewers first (StatsStore.swarmSummaries). */
export function streamRows(swarms: readonly SwarmSummary[], max = MAX_STREAM_ROWS): StreamRow[] {
  const rows: StreamRow[] = swarms.slice(0, max).map((s) => ({
    swarm: s.swarm,
    stream: streamName(s.swarm, s.label),
    viewers: s.viewers,
    httpBytes: s.httpBytes,
    p2pBytes: s.p2pBytes,
  }));
  const rest = swarms.slice(max);
  if (rest.length > 0) {
    const sum = (f: 'viewers' | 'httpBytes' | 'p2pBytes') => rest.reduce((n, s) => n + s[f], 0);
    rows.push({ swarm: OTHER, stream: OTHER, viewers: sum('viewers'), httpBytes: sum('httpBytes'), p2pBytes: sum('p2pBytes') });
  }
  return rows;
}
