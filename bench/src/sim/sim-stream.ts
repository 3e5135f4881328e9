/**
 * The stream the simulated viewers play: one rendition (ABR off, as the bench's node peers play
 * it), fixed-length segments whose sizes vary around the bitrate as encoders' do. Live: the edge
 * advances one segment per segment duration, the playlist holds the last `windowSegments`.
 */
import { hashUnit } from './rng.js';

export interface StreamSpec {
  readonly live: boolean;
  /** Bits per second. */
  readonly bitrate: number;
  readonly segmentS: number;
  /** VOD: how many segments; live: the playlist window. */
  readonly segments: number;
  /** Sizes vary by up to this share either way. */
  readonly sizeSpread: number;
}

export class SimStream {
  constructor(readonly spec: StreamSpec) {}

  get segmentMs(): number {
    return this.spec.segmentS * 1000;
  }

  /** The playlist at `nowMs`: first and last sequence numbers listed. */
  window(nowMs: number): { first: number; last: number } {
    if (!this.spec.live) return { first: 0, last: this.spec.segments - 1 };
    // A full window exists at time 0: segment k appears at (k - window + 1) segment durations.
    const last = Math.floor(nowMs / this.segmentMs) + this.spec.segments - 1;
    return { first: last - this.spec.segments + 1, last };
  }

  /** When a live segment appears at the origin (ms); VOD segments are always there. */
  availableAt(seq: number): number {
    return this.spec.live ? (seq - this.spec.segments + 1) * this.segmentMs : 0;
  }

  bytesOf(seq: number): number {
    const mean = (this.spec.bitrate * this.spec.segmentS) / 8;
    return Math.round(mean * (1 + this.spec.sizeSpread * (2 * hashUnit(`seg${seq}`) - 1)));
  }

  urlOf(seq: number): string {
    return `sim://origin/seg-${seq}.ts`;
  }

  seqOf(url: string): number {
    const match = /seg-(\d+)\.ts$/.exec(url);
    return match ? Number(match[1]) : -1;
  }

  /** Edge of the live stream in media seconds at `nowMs` (the end of the newest segment). */
  edgeS(nowMs: number): number {
    return (this.window(nowMs).last + 1) * this.spec.segmentS;
  }
}
