import type { ShoalStats } from '../engine/stats.js';
import { int, resolveOptionTable, type OptionsInput } from '../options/index.js';
import type { ReportSamples } from './report-samples.js';

/** What a viewer reports to the tracker service (see tracker/README.md, "Stats ingestion"). */
export interface StatsReport {
  v: 1;
  swarm: string;
  peerId: string;
  httpBytes: number;
  p2pBytes: number;
  uploadBytes: number;
  rejectedBytes: number;
  peers: number;
  stalls: number;
  stallMs: number;
  playingMs: number;
  final: boolean;
  /** The stream's human name for the tracker's dashboard and metrics (the tracker sanitizes it again). */
  label?: string;
  /** Timings since the previous report, for the tracker's histograms (report-samples.ts). */
  samples?: ReportSamples;
}

export interface PlaybackCounters {
  stalls: number;
  stallMs: number;
  playingMs: number;
}

/** The reporter's tunables; the comment above a row is its doc (README tables: `npm run docs:options`). */
export const STATS_REPORTER_OPTIONS = {
  /** Time between two reports (one more is sent at page exit). */
  intervalMs: int(10_000, 1000, 3_600_000, 'ms'),
};

/** Longest stream label sent (the tracker cuts longer ones to the same length). */
export const MAX_STREAM_LABEL_CHARS = 64;
/** What a stream label may be, as the `streamLabel` option's error says it. */
export const STREAM_LABEL_FORM = `a string of 1 to ${MAX_STREAM_LABEL_CHARS} characters without control characters`;

/** A label as the page gave it, or undefined when it is not one (see STREAM_LABEL_FORM). */
export function checkStreamLabel(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || [...value].length > MAX_STREAM_LABEL_CHARS || /\p{Cc}/u.test(value))
    return undefined;
  return value;
}

/**
 * The default label: the manifest URL's path (no origin, query or fragment: those can carry
 * tokens), its last MAX_STREAM_LABEL_CHARS characters when longer (the end names the stream).
 */
export function defaultStreamLabel(manifestUrl: string): string {
  let path: string;
  try {
    path = decodeURI(new URL(manifestUrl, globalThis.location?.href).pathname);
  } catch {
    path = manifestUrl.split(/[?#]/)[0] ?? manifestUrl;
  }
  const chars = [...path.replace(/\p{Cc}/gu, '')];
  return chars.length <= MAX_STREAM_LABEL_CHARS ? chars.join('') : '…' + chars.slice(1 - MAX_STREAM_LABEL_CHARS).join('');
}

export interface StatsReporterOptions extends OptionsInput<typeof STATS_REPORTER_OPTIONS> {
  readonly url: string;
  readonly swarm: string;
  /** Sent with every report (see StatsReport.label). */
  readonly label?: string;
  /** Takes the timings collected since the previous report (SampleBuffer.drain). */
  readonly samples?: () => ReportSamples;
  readonly peerId: string;
  readonly stats: () => ShoalStats;
  readonly playback: () => PlaybackCounters;
}

/**
 * Sends cumulative counters to the tracker service every interval and once more when the page
 * goes away (sendBeacon survives unload). Reporting never affects playback: failures are dropped.
 */
export class StatsReporter {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly onPageHide = () => this.flush(true);
  private readonly intervalMs: number;

  constructor(private readonly options: StatsReporterOptions) {
    this.intervalMs = resolveOptionTable(STATS_REPORTER_OPTIONS, options, {
      prefix: 'StatsReporter options',
      unknownFields: 'ignore',
    }).intervalMs;
  }

  start(): void {
    this.timer = setInterval(() => this.flush(false), this.intervalMs);
    globalThis.addEventListener?.('pagehide', this.onPageHide);
  }

  stop(sendFinal = true): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    globalThis.removeEventListener?.('pagehide', this.onPageHide);
    if (sendFinal) this.flush(true);
  }

  report(final: boolean): StatsReport {
    const s = this.options.stats();
    const p = this.options.playback();
    const report: StatsReport = {
      v: 1,
      swarm: this.options.swarm,
      peerId: this.options.peerId,
      httpBytes: s.httpBytes,
      p2pBytes: s.p2pBytes,
      uploadBytes: s.uploadBytes,
      rejectedBytes: s.rejectedBytes,
      peers: s.peers,
      stalls: p.stalls,
      stallMs: Math.round(p.stallMs),
      playingMs: Math.round(p.playingMs),
      final,
      ...(this.options.label !== undefined ? { label: this.options.label } : {}),
    };
    const samples = this.options.samples?.();
    return samples !== undefined && Object.keys(samples).length > 0 ? { ...report, samples } : report;
  }

  private flush(final: boolean): void {
    const body = JSON.stringify(this.report(final));
    const beacon = globalThis.navigator?.sendBeacon?.bind(globalThis.navigator);
    if (final && beacon && beacon(this.options.url, body)) return;
    fetch(this.options.url, { method: 'POST', body, keepalive: final, headers: { 'Content-Type': 'text/plain' } }).catch(() => undefined);
  }
}
