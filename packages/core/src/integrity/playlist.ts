/**
 * The little of HLS playlists (RFC 8216) that hashing needs: which media playlists a master
 * lists, and which segments (URI, byte range, sequence number) a media playlist lists. Pure;
 * never throws on bad input.
 */

export interface HlsMasterPlaylist {
  readonly kind: 'master';
  /** Media playlist URIs, in order, without duplicates: variants first, then EXT-X-MEDIA renditions. */
  readonly playlists: readonly string[];
}

export interface HlsMediaSegment {
  readonly uri: string;
  readonly seq: number;
  /** Inclusive interval within the file at uri, for EXT-X-BYTERANGE segments. */
  readonly byteRange?: { readonly start: number; readonly end: number };
}

export interface HlsMediaPlaylist {
  readonly kind: 'media';
  readonly mediaSequence: number;
  readonly endList: boolean;
  readonly segments: readonly HlsMediaSegment[];
}

export type HlsPlaylist = HlsMasterPlaylist | HlsMediaPlaylist;

const MAX_LINES = 2_000_000;

export function parseHlsPlaylist(text: string): { ok: true; playlist: HlsPlaylist } | { ok: false; error: string } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, MAX_LINES)
    .map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') return { ok: false, error: 'missing #EXTM3U header' };
  if (lines.some((l) => l.startsWith('#EXT-X-STREAM-INF'))) return { ok: true, playlist: parseMaster(lines) };
  return parseMedia(lines);
}

function quotedAttr(line: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|[:,])${name}="([^"]*)"`).exec(line);
  return m?.[1];
}

function parseMaster(lines: readonly string[]): HlsMasterPlaylist {
  const variants: string[] = [];
  const renditions: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('#EXT-X-STREAM-INF')) {
      // The URI is the next line that is neither blank nor a tag/comment.
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j]!;
        if (next === '' || next.startsWith('#')) continue;
        variants.push(next);
        i = j;
        break;
      }
    } else if (line.startsWith('#EXT-X-MEDIA:')) {
      const uri = quotedAttr(line, 'URI');
      if (uri) renditions.push(uri);
    }
  }
  return { kind: 'master', playlists: [...new Set([...variants, ...renditions])] };
}

function parseMedia(lines: readonly string[]): { ok: true; playlist: HlsMediaPlaylist } | { ok: false; error: string } {
  let mediaSequence = 0;
  let endList = false;
  let seq: number | undefined;
  let pendingRange: { length: number; offset: number | undefined } | undefined;
  let sawInf = false;
  const lastEnd = new Map<string, number>(); // uri -> byte after the previous sub-range of it
  const segments: HlsMediaSegment[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
        const n = Number(line.slice('#EXT-X-MEDIA-SEQUENCE:'.length));
        if (!Number.isSafeInteger(n) || n < 0) return { ok: false, error: `bad media sequence at line ${i + 1}` };
        mediaSequence = n;
      } else if (line.startsWith('#EXT-X-BYTERANGE:')) {
        const m = /^(\d{1,15})(?:@(\d{1,15}))?$/.exec(line.slice('#EXT-X-BYTERANGE:'.length));
        if (!m) return { ok: false, error: `bad byte range at line ${i + 1}` };
        pendingRange = { length: Number(m[1]), offset: m[2] === undefined ? undefined : Number(m[2]) };
      } else if (line.startsWith('#EXTINF:')) {
        sawInf = true;
      } else if (line === '#EXT-X-ENDLIST') {
        endList = true;
      }
      continue;
    }
    if (!sawInf) continue; // a URI line without EXTINF is not a media segment
    seq ??= mediaSequence;
    let byteRange: { start: number; end: number } | undefined;
    if (pendingRange) {
      const start = pendingRange.offset ?? lastEnd.get(line);
      if (start === undefined || pendingRange.length < 1) return { ok: false, error: `byte range without offset at line ${i + 1}` };
      byteRange = { start, end: start + pendingRange.length - 1 };
      lastEnd.set(line, start + pendingRange.length);
    }
    segments.push({ uri: line, seq, byteRange });
    seq++;
    sawInf = false;
    pendingRange = undefined;
  }
  return { ok: true, playlist: { kind: 'media', mediaSequence, endList, segments } };
}
