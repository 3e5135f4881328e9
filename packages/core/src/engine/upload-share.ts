import type { Clock } from '../io/interfaces.js';
import { RateLimiter, type UploadSource } from './uploader.js';

/** A peer that asked to send nothing for this long no longer counts among those sharing the upload cap. */
const SHARING_WINDOW_MS = 1000;

export interface UploadShareLimits {
  /** Cap over all peers (Infinity = none). */
  readonly uploadBytesPerSecond: number;
  /** Cap for any one peer. */
  readonly peerUploadBytesPerSecond: number;
}

/**
 * Splits the upload budget fairly: every peer gets its own bucket, at most the per-peer cap and at
 * most an equal share of the overall cap among the peers being served now, so one requester
 * cannot take the whole uplink however it asks.
 */
export class UploadShares {
  /** When each peer last had bytes waiting to go out. */
  private readonly lastWanted = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly source: UploadSource,
    private readonly limits: UploadShareLimits,
  ) {}

  /** The upload source one peer's uploader sees: the shared one, behind that peer's own bucket. */
  forPeer(peerId: string): UploadSource {
    const bucket = new RateLimiter(
      () => this.shareOf(peerId),
      () => this.clock.now(),
    );
    return {
      segment: (id) => this.source.segment(id),
      uploadsEnabled: () => this.source.uploadsEnabled(),
      uploadDelayMs: (bytes) => {
        this.lastWanted.set(peerId, this.clock.now());
        const own = bucket.delayFor(bytes);
        if (own > 0) return own;
        const shared = this.source.uploadDelayMs(bytes);
        if (shared > 0) bucket.giveBack(bytes);
        return shared;
      },
      uploaded: (bytes) => this.source.uploaded(bytes),
    };
  }

  /** The peer is gone: it no longer takes a share. */
  release(peerId: string): void {
    this.lastWanted.delete(peerId);
  }

  /** Bytes per second this peer may have now. */
  private shareOf(peerId: string): number {
    const now = this.clock.now();
    let sharing = 1; // this peer, about to be served
    for (const [id, at] of this.lastWanted) if (id !== peerId && now - at < SHARING_WINDOW_MS) sharing++;
    return Math.min(this.limits.peerUploadBytesPerSecond, this.limits.uploadBytesPerSecond / sharing);
  }
}
