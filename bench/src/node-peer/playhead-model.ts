import type { Playhead } from '@shoal/core';

/**
 * A viewer's playhead without a player: media time advances in real time while the buffer holds
 * data, and stops (a stall) when it runs dry. It stands in for a <video> element in node peers,
 * so the engine sees the same bufferedAheadS()/positionS() a page would give it.
 *
 * Stalls are timed exactly (from the moment the buffer ran dry, not from the next poll), and
 * counted like the page's PlaybackMonitor does: waiting before the first frame is startup.
 */
export type PlayheadState = 'starting' | 'playing' | 'stalled' | 'ended';

export interface PlayheadModelOptions {
  /** Media time playback starts at. */
  readonly startS: number;
  /** Seconds that must be buffered ahead before playback starts or resumes. */
  readonly resumeAheadS?: number;
  /** Buffered ranges closer than this are one range (hls.js jumps small gaps). */
  readonly gapToleranceS?: number;
  /** Clock time startup is measured from (default: creation). */
  readonly startupFrom?: number;
}

export interface PlayheadCounters {
  state: PlayheadState;
  /** ms from `startupFrom` to the first frame, once playing. */
  startupMs: number | null;
  stalls: number;
  stallMs: number;
  playingMs: number;
}

const EPSILON = 1e-6;

export class PlayheadModel implements Playhead {
  private ranges: Array<[start: number, end: number]> = [];
  private pos: number;
  private endS = Number.POSITIVE_INFINITY;
  private state: PlayheadState = 'starting';
  private last: number;
  private readonly createdAt: number;
  private firstFrameAt: number | undefined;
  private stalledSince: number | undefined;
  private stallCount = 0;
  private stalledMs = 0;
  private playedMs = 0;
  private readonly resumeAheadS: number;
  private readonly gapS: number;

  constructor(
    private readonly now: () => number,
    options: PlayheadModelOptions,
  ) {
    this.pos = options.startS;
    this.resumeAheadS = options.resumeAheadS ?? 1;
    this.gapS = options.gapToleranceS ?? 0.3;
    this.last = now();
    this.createdAt = options.startupFrom ?? this.last;
  }

  /** A segment [startS, startS + durationS) is now buffered. */
  append(startS: number, durationS: number): void {
    this.advance();
    this.insert(startS, startS + durationS);
    this.advance();
  }

  /** The media ends here (VOD duration): reaching it is the end, not a stall. */
  setEnd(endS: number): void {
    this.advance();
    this.endS = endS;
    this.advance();
  }

  /** Jumps to a new position (e.g. back to the live window); buffered data elsewhere is kept. */
  seek(positionS: number): void {
    this.advance();
    this.pos = positionS;
    if (this.state === 'playing' || this.state === 'ended') this.enterWaiting(this.now());
    this.advance();
  }

  positionS(): number {
    this.advance();
    return this.pos;
  }

  bufferedAheadS(): number {
    this.advance();
    return this.aheadOf(this.pos);
  }

  /** End of the contiguous buffer from the playhead (the position when nothing is buffered there). */
  bufferedEndS(): number {
    this.advance();
    return this.pos + this.aheadOf(this.pos);
  }

  playbackRate(): number {
    return 1;
  }

  counters(): PlayheadCounters {
    this.advance();
    const now = this.now();
    return {
      state: this.state,
      startupMs: this.firstFrameAt === undefined ? null : this.firstFrameAt - this.createdAt,
      stalls: this.stallCount,
      stallMs: this.stalledMs + (this.state === 'stalled' && this.stalledSince !== undefined ? now - this.stalledSince : 0),
      playingMs: this.playedMs,
    };
  }

  /** Brings the model up to the current time: plays what is buffered, stalls where it runs out. */
  advance(): void {
    const now = this.now();
    if (this.state === 'playing') {
      const limit = Math.min(this.pos + this.aheadOf(this.pos), this.endS);
      const canPlayS = Math.max(0, limit - this.pos);
      const elapsedS = Math.max(0, now - this.last) / 1000;
      if (elapsedS < canPlayS - EPSILON) {
        this.pos += elapsedS;
        this.playedMs += elapsedS * 1000;
      } else {
        this.pos = limit;
        this.playedMs += canPlayS * 1000;
        if (limit >= this.endS - EPSILON) this.state = 'ended';
        else this.enterWaiting(this.last + canPlayS * 1000);
      }
    }
    if (this.state === 'starting' || this.state === 'stalled') {
      const needS = Math.min(this.resumeAheadS, Math.max(0, this.endS - this.pos));
      if (this.aheadOf(this.pos) >= needS - EPSILON && (needS > 0 || this.pos >= this.endS - EPSILON)) {
        if (this.state === 'starting') this.firstFrameAt ??= now;
        if (this.stalledSince !== undefined) this.stalledMs += now - this.stalledSince;
        this.stalledSince = undefined;
        this.state = needS > 0 ? 'playing' : 'ended';
      }
    }
    this.last = now;
  }

  /** Waiting for data: a stall once playback has started (a seek that must wait counts too, as on a page). */
  private enterWaiting(at: number): void {
    if (this.firstFrameAt === undefined) {
      this.state = 'starting';
      return;
    }
    this.state = 'stalled';
    this.stallCount++;
    this.stalledSince = at;
  }

  private aheadOf(t: number): number {
    for (const [start, end] of this.ranges) {
      if (start <= t + this.gapS && t < end) return end - t;
    }
    return 0;
  }

  private insert(start: number, end: number): void {
    const merged: Array<[number, number]> = [];
    let s = start;
    let e = end;
    for (const [rs, re] of this.ranges) {
      if (re + this.gapS < s || rs - this.gapS > e) merged.push([rs, re]);
      else {
        s = Math.min(s, rs);
        e = Math.max(e, re);
      }
    }
    merged.push([s, e]);
    merged.sort((a, b) => a[0] - b[0]);
    this.ranges = merged;
  }
}
