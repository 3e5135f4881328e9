/**
 * Just enough of hls.js and of a <video> for the Shoal facade: an emitter with hls.js's event
 * names that a test fires by hand, and a media element whose state a test sets. Nothing plays.
 */
import type Hls from 'hls.js';
import type { HlsConfig } from 'hls.js';

/** The hls.js events the facade listens to, under hls.js's own names. */
const EVENTS = {
  MANIFEST_LOADING: 'hlsManifestLoading',
  MEDIA_ATTACHED: 'hlsMediaAttached',
  MEDIA_DETACHING: 'hlsMediaDetaching',
  FRAG_BUFFERED: 'hlsFragBuffered',
  ERROR: 'hlsError',
  DESTROYING: 'hlsDestroying',
} as const;
type EventName = keyof typeof EVENTS;

export class StubHls {
  static readonly Events = EVENTS;
  private readonly handlers = new Map<string, Array<(event: string, data: unknown) => void>>();

  constructor(readonly config: Partial<HlsConfig>) {}

  on(event: string, handler: (event: string, data: unknown) => void): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
  }

  /** What hls.js would emit; `data` carries only the fields the facade reads. */
  fire(event: EventName, data: object = {}): void {
    const name = EVENTS[event];
    for (const handler of this.handlers.get(name) ?? []) handler(name, data);
  }

  /** The facade's view of it. */
  get asHls(): Hls {
    return this as unknown as Hls;
  }

  /** hls.js's usual startup up to the first buffered media fragment, on `media`. */
  start(url: string, media: StubMedia): void {
    this.fire('MANIFEST_LOADING', { url });
    this.fire('MEDIA_ATTACHED', { media });
    this.fire('FRAG_BUFFERED', { frag: { sn: 'initSegment' } });
    this.fire('FRAG_BUFFERED', { frag: { sn: 1 } });
  }
}

/** A media element: paused or not, a playhead and buffered ranges; 'playing' and the rest fired by the test. */
export class StubMedia extends EventTarget {
  paused = true;
  currentTime = 0;
  playbackRate = 1;
  ranges: Array<[start: number, end: number]> = [];

  get buffered(): TimeRanges {
    const ranges = this.ranges;
    return {
      length: ranges.length,
      start: (i: number) => ranges[i]![0],
      end: (i: number) => ranges[i]![1],
    };
  }

  /** The first frame is shown (or playback resumes). */
  play(): void {
    this.paused = false;
    this.dispatchEvent(new Event('playing'));
  }
}
