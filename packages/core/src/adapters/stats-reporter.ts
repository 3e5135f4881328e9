import type { ShoalStats } from '../engine/stats.js';

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
}

export interface PlaybackCounters {
  stalls: number;
  stallMs: number;
  playingMs: number;
}

export interface StatsReporterOptions {
  readonly url: string;
  readonly swarm: string;
  readonly peerId: string;
  readonly intervalMs?: number;
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

  constructor(private readonly options: StatsReporterOptions) {}

  start(): void {
    this.timer = setInterval(() => this.flush(false), this.options.intervalMs ?? 10_000);
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
    return {
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
    };
  }

  private flush(final: boolean): void {
    const body = JSON.stringify(this.report(final));
    const beacon = globalThis.navigator?.sendBeacon?.bind(globalThis.navigator);
    if (final && beacon && beacon(this.options.url, body)) return;
    fetch(this.options.url, { method: 'POST', body, keepalive: final, headers: { 'Content-Type': 'text/plain' } }).catch(
      () => undefined,
    );
  }
}
