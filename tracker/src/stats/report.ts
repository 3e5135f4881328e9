/**
 * The stats report a viewer's SDK posts to /stats (pure parsing and validation).
 * Counters are cumulative for the viewer's session.
 */
import { isHexId } from '../protocol/ids.js';
import { sanitizeLabel } from './label.js';
import { parseSamples, type Samples } from './samples.js';

export const MAX_REPORT_BYTES = 4096;

export const COUNTER_FIELDS = ['httpBytes', 'p2pBytes', 'uploadBytes', 'rejectedBytes', 'stalls', 'stallMs', 'playingMs'] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type Counters = Record<CounterField, number>;

export interface StatsReport extends Counters {
  readonly swarm: string;
  readonly peerId: string;
  readonly peers: number;
  readonly final: boolean;
  /** The stream's human name, sanitized (see label.ts); absent when not sent or nothing printable. */
  readonly label?: string;
  /** Timings since the previous report, for the histograms (see samples.ts). */
  readonly samples?: Samples;
}

export type ReportParse = { readonly ok: true; readonly report: StatsReport } | { readonly ok: false; readonly error: string };

export function zeroCounters(): Counters {
  return { httpBytes: 0, p2pBytes: 0, uploadBytes: 0, rejectedBytes: 0, stalls: 0, stallMs: 0, playingMs: 0 };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function parseReport(body: string): ReportParse {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'body must be a JSON object' };
  const o = v as Record<string, unknown>;
  if (o.v !== 1) return { ok: false, error: 'v must be 1' };
  if (!isHexId(o.swarm)) return { ok: false, error: 'swarm must be 40 lowercase hex characters' };
  if (!isHexId(o.peerId)) return { ok: false, error: 'peerId must be 40 lowercase hex characters' };
  const counters = zeroCounters();
  for (const f of COUNTER_FIELDS) {
    const x = o[f];
    if (!isCount(x)) return { ok: false, error: `${f} must be a non-negative integer` };
    counters[f] = x;
  }
  if (!isCount(o.peers)) return { ok: false, error: 'peers must be a non-negative integer' };
  if (o.final !== undefined && typeof o.final !== 'boolean') return { ok: false, error: 'final must be a boolean' };
  if (o.label !== undefined && typeof o.label !== 'string') return { ok: false, error: 'label must be a string' };
  const label = o.label === undefined ? undefined : sanitizeLabel(o.label);
  const samples = o.samples === undefined ? undefined : parseSamples(o.samples);
  if (samples !== undefined && !samples.ok) return samples;
  const report = {
    ...counters,
    swarm: o.swarm,
    peerId: o.peerId,
    peers: o.peers,
    final: o.final === true,
    ...(label !== undefined ? { label } : {}),
    ...(samples !== undefined ? { samples: samples.samples } : {}),
  };
  return { ok: true, report };
}
