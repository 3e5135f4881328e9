import type { SegmentId } from '../protocol/index.js';

/** A segment's bytes as a URL names them: the URL (its query dropped: signed URLs differ per viewer) and an optional inclusive byte range. */
export interface SegmentLocation {
  readonly url: string;
  readonly byteRange?: { readonly start: number; readonly end: number };
}

/**
 * The swarm's id for a segment a player names only by URL (Shaka's DASH and HLS, any player
 * without media sequence numbers at hand). Every viewer derives the same id from the same bytes:
 * - a numbered file (SegmentTemplate $Number$, seg_12.m4s): track from the name around the
 *   number, seq = the number, so a rendition's segments form runs (compact HAVE_RANGES);
 * - anything else (byte ranges of one file: SegmentBase, SegmentList, HLS byte ranges; $Time$
 *   names past 9 digits): track from the path, seq from a hash of path and range.
 * track is 16 bits and seq 32 (the wire's sizes); two segments of one swarm share an id only by
 * a 48-bit hash collision, and the integrity manifest, where there is one, catches even that.
 */
export function urlSegmentId(location: SegmentLocation, base?: string): SegmentId {
  const path = urlPath(location.url, base);
  const range = location.byteRange;
  const numbered = range ? undefined : segmentNumber(path);
  if (numbered) return { track: fnv1a(`${numbered.before}$${numbered.after}`) & 0xffff, seq: numbered.value };
  return { track: fnv1a(path) & 0xffff, seq: fnv1a(`${path}#${range ? `${range.start}-${range.end}` : ''}`) };
}

/** The last run of digits in the file name before its extension (seg_12.m4s, 12.ts); 9 digits at most, so it fits the wire's u32. */
function segmentNumber(path: string): { before: string; value: number; after: string } | undefined {
  const name = path.lastIndexOf('/') + 1;
  const dot = path.lastIndexOf('.');
  let end = dot > name ? dot : path.length;
  while (end > name && !isDigit(path.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > name && isDigit(path.charCodeAt(start - 1))) start--;
  if (start === end || end - start > 9) return undefined;
  return { before: path.slice(0, start), value: Number(path.slice(start, end)), after: path.slice(end) };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function urlPath(url: string, base: string | undefined): string {
  try {
    const parsed = new URL(url, base ?? globalThis.location?.href);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

/** 32-bit FNV-1a over UTF-16 code units: tiny, stable across browsers, spreads similar paths apart. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
