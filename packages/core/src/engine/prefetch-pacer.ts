/**
 * VOD prefetch over peers, bounded and paced. hls.js asks for segments up to its own buffer
 * target (30 s by default) as fast as they arrive; peers on the same machine or LAN deliver
 * them far faster than playback needs, and every transfer costs the page CPU (WebRTC, SCTP,
 * hashing) while the player decodes. Within the window ahead of the playhead peers deliver at
 * once; beyond it, a segment starts no sooner than PREFETCH_PACE times playback speed allows,
 * so the buffer still grows, just not in a burst. Nothing is held when the buffer is short:
 * only segments already past the window wait.
 */

/** Beyond the window, media is delivered at most this many times faster than it plays. */
export const PREFETCH_PACE = 2;

export interface PacedSegment {
  readonly startS: number;
  readonly durationS: number;
}

export class PrefetchPacer {
  /** Earliest time the next segment beyond the window may start. */
  private nextSlotAt = Number.NEGATIVE_INFINITY;

  /**
   * Ms to hold this segment before peers may deliver it (0: now); a hold reserves its slot.
   * windowS: media seconds ahead of positionS delivered unpaced.
   */
  holdMs(now: number, segment: PacedSegment, positionS: number, playbackRate: number, windowS: number): number {
    if (segment.startS - positionS <= windowS) return 0;
    const startAt = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = startAt + (Math.max(segment.durationS, 0) * 1000) / (PREFETCH_PACE * Math.max(playbackRate, 0.1));
    return startAt - now;
  }
}
