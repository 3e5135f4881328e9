/**
 * What a node peer needs from HLS playlists, read the way hls.js reads them: the variant it
 * plays (and its level index, so segment ids match the pages'), and the media segments with
 * their sequence numbers, media times and absolute URLs. Parsing is the origin's parser.
 */
import { attr, parsePlaylist, type MediaPlaylist } from '@shoal/test-kit';

export interface Variant {
  /** hls.js level index: variants ordered by bandwidth, ascending. */
  readonly level: number;
  readonly bandwidth: number;
  readonly url: string;
}

export interface Segment {
  readonly seq: number;
  readonly url: string;
  readonly durationS: number;
  /** Start within this playlist (the media time for VOD; live uses LiveTimeline). */
  readonly offsetS: number;
  /** Inclusive byte range within url, for byte-range playlists. */
  readonly byteRange?: { start: number; end: number };
  /** The init section this segment needs (url + optional range), if any. */
  readonly init?: { url: string; byteRange?: { start: number; end: number } };
}

export interface MediaInfo {
  readonly live: boolean;
  readonly targetDurationS: number;
  readonly segments: readonly Segment[];
}

export type Fetcher = (url: string) => Promise<string>;

export const fetchText: Fetcher = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return response.text();
};

/**
 * The variant a node peer plays: `choice` is 'top' (highest bandwidth, where hls.js settles on a
 * fast link) or a level index. A media playlist URL is its own single variant, level 0.
 */
export async function pickVariant(streamUrl: string, choice: 'top' | number, get: Fetcher = fetchText): Promise<Variant> {
  const playlist = parsePlaylist(await get(streamUrl));
  if (playlist.type === 'media') return { level: 0, bandwidth: 0, url: streamUrl };
  const variants = playlist.items
    .flatMap((item) => (typeof item !== 'string' && item.tag === 'EXT-X-STREAM-INF' && item.uri ? [item] : []))
    .map((item) => ({ bandwidth: Number(attr(item.attrs, 'BANDWIDTH') ?? 0), url: new URL(item.uri!, streamUrl).href }));
  if (variants.length === 0) throw new Error(`${streamUrl}: master playlist without variants`);
  // hls.js sorts levels by bitrate; a stable sort keeps manifest order among equals, as it does.
  const levels = variants.map((v, i) => ({ ...v, i })).sort((a, b) => a.bandwidth - b.bandwidth || a.i - b.i);
  const level = choice === 'top' ? levels.length - 1 : Math.min(Math.max(0, choice), levels.length - 1);
  const picked = levels[level]!;
  return { level, bandwidth: picked.bandwidth, url: picked.url };
}

/** Parses a media playlist into segments with sequence numbers and absolute URLs. */
export function readMedia(text: string, playlistUrl: string): MediaInfo {
  const playlist = parsePlaylist(text);
  if (playlist.type !== 'media') throw new Error(`${playlistUrl}: expected a media playlist`);
  return { live: !playlist.endList, targetDurationS: playlist.targetDuration, segments: segmentsOf(playlist, playlistUrl) };
}

function segmentsOf(playlist: MediaPlaylist, base: string): Segment[] {
  let offsetS = 0;
  return playlist.segments.map((s, i) => {
    const map = s.map
      ? {
          url: new URL(s.map.uri, base).href,
          byteRange: s.map.byteRange && inclusive(s.map.byteRange),
        }
      : undefined;
    offsetS += s.duration;
    return {
      seq: playlist.mediaSequence + i,
      url: new URL(s.uri, base).href,
      durationS: s.duration,
      offsetS: offsetS - s.duration,
      byteRange: s.byteRange && inclusive(s.byteRange),
      init: map,
    };
  });
}

function inclusive(range: { offset: number; length: number }): { start: number; end: number } {
  return { start: range.offset, end: range.offset + range.length - 1 };
}

/**
 * Media times of live segments across playlist reloads: each sequence number keeps the start it
 * was first given; a new one follows the one before it. The first playlist starts at 0.
 */
export class LiveTimeline {
  private readonly known = new Map<number, { start: number; duration: number }>();
  private end = 0;

  update(segments: readonly Segment[]): void {
    for (const segment of segments) {
      if (this.known.has(segment.seq)) continue;
      const previous = this.known.get(segment.seq - 1);
      // After a gap (playlists missed), continue after the latest known segment.
      const start = previous ? previous.start + previous.duration : this.end;
      this.known.set(segment.seq, { start, duration: segment.durationS });
      this.end = Math.max(this.end, start + segment.durationS);
    }
    // Bounded memory: forget what fell far out of the window.
    const first = segments[0]?.seq ?? 0;
    for (const seq of this.known.keys()) if (seq < first - 100) this.known.delete(seq);
  }

  startOf(seq: number): number | undefined {
    return this.known.get(seq)?.start;
  }
}
