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
  readonly stalls: number;
  readonly stallMs: number;
  readonly playingMs: number;
}

const SUMMED = ['viewers', 'httpBytes', 'p2pBytes', 'stalls', 'stallMs', 'playingMs'] as const;

/** The `stream` label value: the swarm's label, else its id's first 12 characters. */
export function streamName(swarm: string, label: string | null): string {
  return label ?? swarm.slice(0, 12);
}

/** `swarms`: most viewers first (StatsStore.swarmSummaries). */
export function streamRows(swarms: readonly SwarmSummary[], max = MAX_STREAM_ROWS): StreamRow[] {
  const pick = (s: SwarmSummary) => Object.fromEntries(SUMMED.map((f) => [f, s[f]])) as Record<(typeof SUMMED)[number], number>;
  const rows: StreamRow[] = swarms.slice(0, max).map((s) => ({ swarm: s.swarm, stream: streamName(s.swarm, s.label), ...pick(s) }));
  const rest = swarms.slice(max);
  if (rest.length > 0) {
    const sums = Object.fromEntries(SUMMED.map((f) => [f, rest.reduce((n, s) => n + s[f], 0)])) as Record<(typeof SUMMED)[number], number>;
    rows.push({ swarm: OTHER, stream: OTHER, ...sums });
  }
  return rows;
}
