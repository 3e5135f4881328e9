import type { Playhead } from '../io/interfaces.js';

/** A gap this small before the playhead (s) is jumped over by hls.js anyway: the range after it counts as buffered ahead. */
export const BUFFER_GAP_TOLERANCE_S = 0.3;

/** Seconds of media buffered ahead of the playhead, in the range that holds it (or starts just after it). */
export function bufferedAheadS(media: Pick<HTMLMediaElement, 'currentTime' | 'buffered'>): number {
  const t = media.currentTime;
  const ranges = media.buffered;
  for (let i = 0; i < ranges.length; i++) {
    if (ranges.start(i) <= t + BUFFER_GAP_TOLERANCE_S && t <= ranges.end(i)) return ranges.end(i) - t;
  }
  return 0;
}

/** The engine's Playhead, read from the page's media element (absent until hls.js attaches one). */
export class MediaPlayhead implements Playhead {
  media: HTMLMediaElement | undefined;

  bufferedAheadS(): number {
    return this.media ? bufferedAheadS(this.media) : 0;
  }

  positionS(): number {
    return this.media?.currentTime ?? 0;
  }

  playbackRate(): number {
    const media = this.media;
    return media && !media.paused ? media.playbackRate || 1 : 1;
  }
}

/** Counts stalls and playing time the way a viewer feels them. */
export class PlaybackMonitor {
  stalls = 0;
  stallMs = 0;
  playingMs = 0;
  /** The clock's now() at the first frame, once playback started. */
  firstFrameAt: number | undefined;
  private stalledSince: number | undefined;
  private playingSince: number | undefined;
  private media: HTMLMediaElement | undefined;
  private readonly listeners: Array<[string, () => void]> = [
    ['playing', () => this.onPlaying()],
    ['waiting', () => this.onWaiting()],
    ['pause', () => this.onPause()],
    ['ended', () => this.onPause()],
  ];

  private attachedAt: number | undefined;

  /** `now`: ms, the facade's clock. `sample`: the startup time, then each stall's duration as it ends. */
  constructor(
    private readonly now: () => number,
    private readonly sample: (kind: 'startupMs' | 'stallMs', ms: number) => void = () => undefined,
  ) {}

  attach(media: HTMLMediaElement): void {
    this.detach();
    this.media = media;
    this.attachedAt ??= this.now();
    for (const [event, listener] of this.listeners) media.addEventListener(event, listener);
  }

  detach(): void {
    this.settle();
    if (this.media) for (const [event, listener] of this.listeners) this.media.removeEventListener(event, listener);
    this.media = undefined;
  }

  snapshot(): { stalls: number; stallMs: number; playingMs: number } {
    const now = this.now();
    return {
      stalls: this.stalls,
      stallMs: this.stallMs + (this.stalledSince === undefined ? 0 : now - this.stalledSince),
      playingMs: this.playingMs + (this.playingSince === undefined ? 0 : now - this.playingSince),
    };
  }

  private onPlaying(): void {
    const now = this.now();
    if (this.firstFrameAt === undefined && this.attachedAt !== undefined) this.sample('startupMs', now - this.attachedAt);
    this.firstFrameAt ??= now;
    if (this.stalledSince !== undefined) {
      this.stallMs += now - this.stalledSince;
      this.sample('stallMs', now - this.stalledSince);
    }
    this.stalledSince = undefined;
    this.playingSince ??= now;
  }

  private onWaiting(): void {
    // Waiting before the first frame is startup, not a stall.
    if (this.firstFrameAt === undefined || this.stalledSince !== undefined) return;
    this.settle();
    this.stalls++;
    this.stalledSince = this.now();
  }

  private onPause(): void {
    this.settle();
  }

  private settle(): void {
    const now = this.now();
    if (this.playingSince !== undefined) this.playingMs += now - this.playingSince;
    this.playingSince = undefined;
    if (this.stalledSince !== undefined) this.stallMs += now - this.stalledSince;
    this.stalledSince = undefined;
  }
}
