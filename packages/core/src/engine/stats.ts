import type { HealthLevel } from './device-health.js';

/** Byte counters by source. Every byte is counted once, where it arrived or left. */
export interface ShoalStats {
  /** Segment bytes downloaded from the origin/CDN over HTTP. */
  httpBytes: number;
  /** Segment bytes received from peers and accepted. */
  p2pBytes: number;
  /** Bytes of segments sent to peers. */
  uploadBytes: number;
  /** Bytes received from peers and thrown away (bad data, late, cancelled). */
  rejectedBytes: number;
  /**
   * Bytes already downloaded (and counted in httpBytes or p2pBytes) for segments the player
   * stopped asking for before they arrived: hls.js aborted the load (seek, level switch, its
   * own give-up rules). Such bytes never reach the player.
   */
  abandonedBytes: number;
  /** Segments delivered to the player, by where most of their bytes came from. */
  segmentsFromHttp: number;
  segmentsFromPeers: number;
  segmentsFromCache: number;
  /** Open peer connections right now. */
  peers: number;
  /** Bytes and segments held to serve other viewers right now (bounded by storeBytes). */
  storeBytes: number;
  storeSegments: number;
  /** The device's health level: how far P2P has backed off to leave the player the CPU (README "Slow devices"). */
  health: HealthLevel;
}

export function emptyStats(): ShoalStats {
  return {
    httpBytes: 0,
    p2pBytes: 0,
    uploadBytes: 0,
    rejectedBytes: 0,
    abandonedBytes: 0,
    segmentsFromHttp: 0,
    segmentsFromPeers: 0,
    segmentsFromCache: 0,
    peers: 0,
    storeBytes: 0,
    storeSegments: 0,
    health: 'healthy',
  };
}

/** Offload ratio: share of downloaded segment bytes that came from peers (0..1). */
export function offloadRatio(stats: Pick<ShoalStats, 'httpBytes' | 'p2pBytes'>): number {
  const total = stats.httpBytes + stats.p2pBytes;
  return total === 0 ? 0 : stats.p2pBytes / total;
}

/** Throughput estimate over recent transfers (exponentially weighted), in bytes per ms. */
export class ThroughputMeter {
  private estimate: number | undefined;
  constructor(private readonly weight = 0.3) {}

  sample(bytes: number, ms: number): void {
    if (bytes <= 0) return;
    const rate = bytes / Math.max(ms, 1);
    this.estimate = this.estimate === undefined ? rate : this.estimate * (1 - this.weight) + rate * this.weight;
  }

  /** Forgets the history: this transfer is what the rate is now (a peer that fell behind its pace). */
  restart(bytes: number, ms: number): void {
    this.estimate = undefined;
    this.sample(Math.max(bytes, 1), ms);
  }

  /** Bytes per ms, or the fallback when nothing was measured yet. */
  bytesPerMs(fallback: number): number {
    return this.estimate ?? fallback;
  }

  get measured(): boolean {
    return this.estimate !== undefined;
  }
}
