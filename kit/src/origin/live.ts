/**
 * Live simulation of a VOD media playlist: an endless loop of its segments on a sliding window
 * that advances with a clock. Pure functions, no I/O.
 *
 * Timeline: t0 = start - (end of the first `window` segments), so the first playlist already
 * holds `window` segments. Live media sequence n plays VOD segment n mod count and covers
 * [t0 + start(n), t0 + start(n) + dur(n)); it is listed once that interval has fully elapsed.
 * Each pass over the loop after the first begins with a discontinuity; the discontinuity
 * sequence number of segment n is floor(n / count).
 */
import { formatKey, formatMap, type KeyInfo, type MapInfo, type MediaPlaylist, type MediaSegment } from './m3u8.js';

export interface LiveTimeline {
  count: number;
  durMs: number[];
  /** cumMs[i] = start of VOD segment i within one loop. */
  cumMs: number[];
  loopMs: number;
}

export function timelineOf(pl: MediaPlaylist): LiveTimeline {
  const durMs = pl.segments.map((s) => Math.round(s.duration * 1000));
  const cumMs: number[] = [];
  let acc = 0;
  for (const d of durMs) {
    cumMs.push(acc);
    acc += d;
  }
  if (durMs.length === 0 || acc <= 0) throw new Error('live: playlist has no playable segments');
  return { count: durMs.length, durMs, cumMs, loopMs: acc };
}

/** Offset of live segment n from t0, in ms. */
export function segmentStartMs(tl: LiveTimeline, n: number): number {
  return Math.floor(n / tl.count) * tl.loopMs + tl.cumMs[n % tl.count]!;
}

export function segmentEndMs(tl: LiveTimeline, n: number): number {
  return segmentStartMs(tl, n) + tl.durMs[n % tl.count]!;
}

/** The live timeline's zero, given the origin start time and the window length. */
export function liveT0(tl: LiveTimeline, startMs: number, window: number): number {
  return startMs - segmentEndMs(tl, Math.max(1, window) - 1);
}

/** Highest sequence number fully produced at `elapsedMs` after t0 (-1 when none). */
export function latestProduced(tl: LiveTimeline, elapsedMs: number): number {
  if (elapsedMs < 0) return -1;
  const loops = Math.floor(elapsedMs / tl.loopMs);
  const within = elapsedMs - loops * tl.loopMs;
  let idx = -1;
  for (let i = 0; i < tl.count; i++) {
    if (tl.cumMs[i]! + tl.durMs[i]! <= within) idx = i;
    else break;
  }
  return loops * tl.count + idx;
}

export interface LiveClock {
  startMs: number;
  nowMs: number;
  window: number;
}

export interface LiveWindow {
  first: number;
  last: number;
  t0: number;
}

export function liveWindowOf(tl: LiveTimeline, c: LiveClock): LiveWindow {
  const t0 = liveT0(tl, c.startMs, c.window);
  const last = latestProduced(tl, c.nowMs - t0);
  const first = Math.max(0, last - Math.max(1, c.window) + 1);
  return { first, last, t0 };
}

/** Whether live segment n exists at the given time (produced; never a future one). */
export function isProduced(tl: LiveTimeline, c: LiveClock, n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= liveWindowOf(tl, c).last;
}

/** The VOD segment behind live segment n. */
export function vodSegmentOf(pl: MediaPlaylist, n: number): { index: number; segment: MediaSegment } {
  const index = n % pl.segments.length;
  return { index, segment: pl.segments[index]! };
}

/** Extension of a segment URI's path, with the dot ('.m4s'); '' when none. */
export function uriExtension(uri: string): string {
  const path = uri.split(/[?#]/, 1)[0] ?? '';
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

/** The URI (relative to the live playlist) of live segment n. */
export function liveSegmentName(n: number, vodUri: string): string {
  return `seg-${n}${uriExtension(vodUri)}`;
}

export const LIVE_SEGMENT_RE = /^seg-(0|[1-9]\d{0,15})(\.[A-Za-z0-9]+)?$/;

function ivHex(seq: number): string {
  return '0x' + seq.toString(16).padStart(32, '0');
}

/**
 * The key a live segment must announce. An AES-128 key without IV uses the media sequence number
 * as IV; live sequence numbers differ from the VOD ones, so the VOD number is made explicit.
 */
function liveKey(pl: MediaPlaylist, index: number, key: KeyInfo | undefined): KeyInfo | undefined {
  if (!key || key.iv !== undefined || key.method !== 'AES-128') return key;
  const iv = ivHex(pl.mediaSequence + index);
  return { ...key, iv, attrs: [...key.attrs, ['IV', iv]] };
}

export function renderLivePlaylist(pl: MediaPlaylist, c: LiveClock): string {
  const tl = timelineOf(pl);
  const w = liveWindowOf(tl, c);
  const out = [
    '#EXTM3U',
    `#EXT-X-VERSION:${Math.max(pl.version ?? 1, 6)}`,
    `#EXT-X-TARGETDURATION:${pl.targetDuration}`,
    `#EXT-X-MEDIA-SEQUENCE:${w.first}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(w.first / tl.count)}`,
  ];
  if (pl.independentSegments) out.push('#EXT-X-INDEPENDENT-SEGMENTS');
  let keyLine = formatKey(undefined);
  let map: MapInfo | undefined;
  const setKey = (key: KeyInfo | undefined): void => {
    const line = formatKey(key);
    if (line !== keyLine) out.push(line);
    keyLine = line;
  };
  for (let n = w.first; n <= w.last; n++) {
    const { index, segment } = vodSegmentOf(pl, n);
    const wrap = index === 0 && n > w.first;
    if (wrap) out.push('#EXT-X-DISCONTINUITY');
    if (segment.map && (wrap || segment.map !== map)) {
      setKey(segment.map.key); // the init section is encrypted with the key in effect at its tag
      out.push(formatMap(segment.map));
    }
    map = segment.map;
    setKey(liveKey(pl, index, segment.key));
    if (n === w.first || wrap) {
      out.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(w.t0 + segmentStartMs(tl, n)).toISOString()}`);
    }
    out.push(`#EXTINF:${segment.duration.toFixed(6)},${segment.title}`);
    out.push(liveSegmentName(n, segment.uri));
  }
  return out.join('\n') + '\n';
}
