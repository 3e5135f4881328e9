/**
 * The segment hash manifest: SHA-256 of every media segment of every rendition, published by
 * the origin next to the master playlist (`shoal-manifest.json` by convention). Pure: no I/O.
 *
 *   {
 *     "format": "shoal-segment-hashes", "version": 1, "algorithm": "SHA-256",
 *     "live": false,                         // true: kept current as segments appear; refetch on a miss
 *     "renditions": [
 *       { "playlist": "v0/index.m3u8",       // relative to the manifest's own URL (or absolute)
 *         "segments": [
 *           { "uri": "seg_00000.m4s", "seq": 0, "size": 64077, "sha256": "<64 hex>" },
 *           { "uri": "media.mp4", "byteRange": "67312@1368", "seq": 1, "size": 67312, "sha256": "..." } ] } ]
 *   }
 *
 * A segment is found by the URL the player fetches it from (each `uri` resolved against its
 * playlist, query and fragment ignored) plus, for EXT-X-BYTERANGE segments, its byte range in
 * HLS notation `length@offset`. The hash covers exactly the bytes the origin serves for that
 * URL and range (for AES-128 streams: the encrypted bytes).
 */

export const MANIFEST_FORMAT = 'shoal-segment-hashes';
export const MANIFEST_VERSION = 1;
/** File name the SDK looks for next to the master playlist when no manifest URL is configured. */
export const MANIFEST_FILE_NAME = 'shoal-manifest.json';

/** Bounds on what a parser accepts from the network; a manifest beyond them is rejected whole. */
export const MANIFEST_LIMITS = Object.freeze({
  renditions: 256,
  segments: 500_000,
  uriLength: 4096,
});

export interface ManifestSegment {
  /** Segment URI as written in the media playlist (relative to it, or absolute). */
  readonly uri: string;
  /** EXT-X-BYTERANGE of the segment within the file at uri, as "length@offset". */
  readonly byteRange?: string;
  /** Media sequence number, for people and for trimming a live manifest; not used for lookup. */
  readonly seq?: number;
  /** Bytes in the segment. */
  readonly size: number;
  /** Lower-case hex SHA-256 of the segment's bytes. */
  readonly sha256: string;
}

export interface ManifestRendition {
  /** Media playlist URI, relative to the manifest URL (or absolute). */
  readonly playlist: string;
  readonly segments: readonly ManifestSegment[];
}

export interface SegmentManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: typeof MANIFEST_VERSION;
  readonly algorithm: 'SHA-256';
  /** The manifest grows as a live packager writes segments: a segment not in it yet may appear on a refetch. */
  readonly live?: boolean;
  /** ISO time of writing, informational. */
  readonly generated?: string;
  readonly renditions: readonly ManifestRendition[];
}

export type ManifestParseResult = { ok: true; manifest: SegmentManifest } | { ok: false; error: string };

const HEX64 = /^[0-9a-f]{64}$/;
const BYTE_RANGE = /^(\d{1,15})@(\d{1,15})$/;

/** Parses "length@offset" into an inclusive byte interval; undefined when malformed or empty. */
export function parseByteRange(text: string): { start: number; end: number } | undefined {
  const m = BYTE_RANGE.exec(text);
  if (!m) return undefined;
  const length = Number(m[1]);
  const offset = Number(m[2]);
  if (length < 1 || !Number.isSafeInteger(offset + length)) return undefined;
  return { start: offset, end: offset + length - 1 };
}

export function formatByteRange(range: { start: number; end: number }): string {
  return `${range.end - range.start + 1}@${range.start}`;
}

/**
 * Validates untrusted JSON (text or an already parsed value) as a manifest. Never throws: a
 * broken or hostile manifest comes back as an error naming the first bad field.
 */
export function parseManifest(input: unknown): ManifestParseResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      return { ok: false, error: `not JSON: ${(error as Error).message}` };
    }
  }
  try {
    return { ok: true, manifest: check(value) };
  } catch (error) {
    if (error instanceof ManifestFieldError) return { ok: false, error: error.message };
    throw error;
  }
}

class ManifestFieldError extends Error {}

function fail(field: string, expected: string): never {
  throw new ManifestFieldError(`${field} must be ${expected}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function check(value: unknown): SegmentManifest {
  if (!isObject(value)) fail('manifest', 'a JSON object');
  if (value.format !== MANIFEST_FORMAT) fail('format', `"${MANIFEST_FORMAT}"`);
  if (value.version !== MANIFEST_VERSION) fail('version', String(MANIFEST_VERSION));
  if (value.algorithm !== 'SHA-256') fail('algorithm', '"SHA-256"');
  if (value.live !== undefined && typeof value.live !== 'boolean') fail('live', 'true or false');
  if (value.generated !== undefined && (typeof value.generated !== 'string' || value.generated.length > 64))
    fail('generated', 'a short string');
  const renditions = value.renditions;
  if (!Array.isArray(renditions) || renditions.length > MANIFEST_LIMITS.renditions) {
    fail('renditions', `an array of at most ${MANIFEST_LIMITS.renditions} renditions`);
  }
  let total = 0;
  const out: ManifestRendition[] = [];
  renditions.forEach((r: unknown, i) => {
    const at = `renditions[${i}]`;
    if (!isObject(r)) fail(at, 'an object');
    checkUri(`${at}.playlist`, r.playlist);
    if (!Array.isArray(r.segments)) fail(`${at}.segments`, 'an array');
    total += r.segments.length;
    if (total > MANIFEST_LIMITS.segments) fail('renditions', `at most ${MANIFEST_LIMITS.segments} segments in all`);
    const segments = r.segments.map((s: unknown, j) => checkSegment(`${at}.segments[${j}]`, s));
    out.push({ playlist: r.playlist, segments });
  });
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    algorithm: 'SHA-256',
    live: value.live,
    generated: value.generated,
    renditions: out,
  };
}

function checkUri(field: string, v: unknown): asserts v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MANIFEST_LIMITS.uriLength) {
    fail(field, `a URI string of 1..${MANIFEST_LIMITS.uriLength} characters`);
  }
}

function checkSegment(at: string, s: unknown): ManifestSegment {
  if (!isObject(s)) fail(at, 'an object');
  checkUri(`${at}.uri`, s.uri);
  if (typeof s.sha256 !== 'string' || !HEX64.test(s.sha256)) fail(`${at}.sha256`, '64 lower-case hex digits');
  if (typeof s.size !== 'number' || !Number.isSafeInteger(s.size) || s.size < 1) fail(`${at}.size`, 'a positive integer');
  if (s.seq !== undefined && (typeof s.seq !== 'number' || !Number.isSafeInteger(s.seq) || s.seq < 0))
    fail(`${at}.seq`, 'a non-negative integer');
  let byteRange: string | undefined;
  if (s.byteRange !== undefined) {
    const range = typeof s.byteRange === 'string' ? parseByteRange(s.byteRange) : undefined;
    if (!range) fail(`${at}.byteRange`, 'a "length@offset" string');
    if (range.end - range.start + 1 !== s.size) fail(`${at}.size`, 'the byte range length');
    byteRange = s.byteRange as string;
  }
  return {
    uri: s.uri,
    byteRange,
    seq: s.seq,
    size: s.size,
    sha256: s.sha256,
  };
}

/** What is known about one segment: its size and hash. */
export interface SegmentFingerprint {
  readonly size: number;
  readonly sha256: string;
}

/** The URL part of a lookup key: absolute, without query and fragment. */
export function normalizeSegmentUrl(url: string, base?: string): string | undefined {
  try {
    const u = new URL(url, base);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Lookup key of a segment: URL, plus its inclusive byte interval for byte-range segments. */
export function segmentLookupKey(url: string, byteRange?: { start: number; end?: number }): string | undefined {
  const normalized = normalizeSegmentUrl(url);
  if (normalized === undefined) return undefined;
  if (!byteRange) return normalized;
  return `${normalized}#${byteRange.start}-${byteRange.end ?? ''}`;
}

/**
 * Every manifest entry under its lookup key, each URI resolved against its playlist and the
 * playlist against the manifest's own URL. Entries whose URIs do not resolve are skipped.
 */
export function indexManifest(manifest: SegmentManifest, manifestUrl: string): Map<string, SegmentFingerprint> {
  const index = new Map<string, SegmentFingerprint>();
  for (const rendition of manifest.renditions) {
    let playlistUrl: string;
    try {
      playlistUrl = new URL(rendition.playlist, manifestUrl).href;
    } catch {
      continue;
    }
    for (const segment of rendition.segments) {
      const range = segment.byteRange === undefined ? undefined : parseByteRange(segment.byteRange);
      let url: string;
      try {
        url = new URL(segment.uri, playlistUrl).href;
      } catch {
        continue;
      }
      const key = segmentLookupKey(url, range);
      if (key !== undefined) index.set(key, { size: segment.size, sha256: segment.sha256 });
    }
  }
  return index;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** SHA-256 of bytes as lower-case hex, through WebCrypto (browsers, Node 20+). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}
