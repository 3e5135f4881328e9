/**
 * Builds segment hash manifests from an HLS stream on disk or behind a URL, once or continuously
 * (live: the packager keeps adding segments). Node only; used by the `shoal-hash` command.
 */
import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatByteRange,
  MANIFEST_FILE_NAME,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  type ManifestRendition,
  type ManifestSegment,
  type SegmentManifest,
} from '../integrity/manifest.js';
import { parseHlsPlaylist, type HlsMediaSegment } from '../integrity/playlist.js';
import { int } from '../options/index.js';
import { fileSource, HashError, httpSource, type StreamSource } from './stream-source.js';

const HASH_CONCURRENCY = 4;

/** Remembers hashes by (resource, range, version) so a live rebuild only hashes new segments. */
export class HashCache {
  private readonly entries = new Map<string, { size: number; sha256: string }>();
  constructor(private readonly maxEntries = 100_000) {}

  get(key: string): { size: number; sha256: string } | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: { size: number; sha256: string }): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The command's numeric settings, checked and stated (USAGE) from these rows. */
export const HASH_OPTIONS = {
  /** How often --watch looks at the playlists. */
  intervalMs: int(1000, 100, 3_600_000, 'ms'),
  /** --watch: segments kept per rendition after they leave the playlist. */
  keepExpired: int(20, 0, 100_000),
};

export interface BuildOptions {
  readonly source?: StreamSource;
  readonly cache?: HashCache;
  /** Write playlist references as absolute URLs under this base instead of relative to the master. */
  readonly base?: string;
  /** Previous manifest of the same stream: its entries for segments gone from a live playlist are kept (up to `keepExpired` per rendition). */
  readonly previous?: SegmentManifest;
  readonly keepExpired?: number;
  /** Clock for the `generated` field. */
  readonly now?: () => Date;
}

/** Reads a master (or media) playlist and hashes every media segment of every rendition. */
export async function buildManifest(masterUrl: URL, options: BuildOptions = {}): Promise<SegmentManifest> {
  const source = options.source ?? (masterUrl.protocol === 'file:' ? fileSource : httpSource());
  const cache = options.cache ?? new HashCache();
  const parsed = parseHlsPlaylist(await source.readText(masterUrl));
  if (!parsed.ok) throw new HashError(`${masterUrl.href}: ${parsed.error}`);
  const mediaRefs = parsed.playlist.kind === 'master' ? parsed.playlist.playlists : [path.posix.basename(masterUrl.pathname)];
  let live = false;
  const renditions: ManifestRendition[] = [];
  for (const ref of mediaRefs) {
    const playlistUrl = new URL(ref, masterUrl);
    const media = parseHlsPlaylist(await source.readText(playlistUrl));
    if (!media.ok) throw new HashError(`${playlistUrl.href}: ${media.error}`);
    if (media.playlist.kind !== 'media') throw new HashError(`${playlistUrl.href}: a master playlist inside a master playlist`);
    if (!media.playlist.endList) live = true;
    const segments = await mapLimit(media.playlist.segments, HASH_CONCURRENCY, (s) => hashSegment(source, cache, playlistUrl, s));
    const playlist = options.base ? new URL(ref, new URL(options.base)).href : ref;
    const kept = keepExpired(options.previous, playlist, segments, options.keepExpired ?? HASH_OPTIONS.keepExpired.default);
    renditions.push({ playlist, segments: [...kept, ...segments] });
  }
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    algorithm: 'SHA-256',
    live,
    generated: (options.now?.() ?? new Date()).toISOString(),
    renditions,
  };
}

async function hashSegment(source: StreamSource, cache: HashCache, playlistUrl: URL, segment: HlsMediaSegment): Promise<ManifestSegment> {
  const url = new URL(segment.uri, playlistUrl);
  const rangeKey = segment.byteRange ? `#${segment.byteRange.start}-${segment.byteRange.end}` : '';
  const version = await source.version(url);
  const cacheKey = version === undefined ? `${url.href}${rangeKey}` : `${url.href}${rangeKey}@${version}`;
  let fingerprint = cache.get(cacheKey);
  if (!fingerprint) {
    const { bytes } = await source.readBytes(url, segment.byteRange);
    fingerprint = { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    cache.set(cacheKey, fingerprint);
  }
  return {
    uri: segment.uri,
    byteRange: segment.byteRange && formatByteRange(segment.byteRange),
    seq: segment.seq,
    size: fingerprint.size,
    sha256: fingerprint.sha256,
  };
}

/** Entries of the previous manifest that the playlist no longer lists, newest last, at most `keep`. */
function keepExpired(
  previous: SegmentManifest | undefined,
  playlist: string,
  current: readonly ManifestSegment[],
  keep: number,
): ManifestSegment[] {
  if (!previous || keep <= 0) return [];
  const old = previous.renditions.find((r) => r.playlist === playlist);
  if (!old) return [];
  const listed = new Set(current.map((s) => `${s.uri}#${s.byteRange ?? ''}`));
  const firstSeq = current[0]?.seq;
  const gone = old.segments.filter(
    (s) => !listed.has(`${s.uri}#${s.byteRange ?? ''}`) && (firstSeq === undefined || s.seq === undefined || s.seq < firstSeq),
  );
  return gone.slice(-keep);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function serializeManifest(manifest: SegmentManifest): string {
  // One segment per line: readable, diffable, and still valid JSON.
  const head = JSON.stringify({ ...manifest, renditions: [] }, null, 2).replace(/"renditions": \[\]\n\}$/, '"renditions": [');
  const renditions = manifest.renditions.map((r) => {
    const segments = r.segments.map((s) => `        ${JSON.stringify(s)}`).join(',\n');
    return `    {\n      "playlist": ${JSON.stringify(r.playlist)},\n      "segments": [\n${segments}\n      ]\n    }`;
  });
  return `${head}\n${renditions.join(',\n')}\n  ]\n}\n`;
}

/** Writes the file whole or not at all (a reader never sees half a manifest). */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Default output for a stream: shoal-manifest.json next to a local master playlist; stdout for URLs. */
export function defaultOutput(masterUrl: URL): string {
  return masterUrl.protocol === 'file:' ? path.join(path.dirname(fileURLToPath(masterUrl)), MANIFEST_FILE_NAME) : '-';
}

export interface WatchOptions extends BuildOptions {
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  /** Called with each manifest that differs from the last one written. */
  onManifest(manifest: SegmentManifest, text: string): Promise<void>;
  onError?(error: Error): void;
  /** Stop after this many rounds (tests); default: until the signal aborts. */
  readonly maxRounds?: number;
}

/** Rebuilds every intervalMs until the signal aborts, hashing only new segments; reports changes. */
export async function watchManifest(masterUrl: URL, options: WatchOptions): Promise<void> {
  const cache = options.cache ?? new HashCache();
  let previous: SegmentManifest | undefined = options.previous;
  let lastBody = '';
  for (let round = 0; !options.signal.aborted && round < (options.maxRounds ?? Number.POSITIVE_INFINITY); round++) {
    try {
      const manifest = await buildManifest(masterUrl, { ...options, cache, previous });
      const body = JSON.stringify(manifest.renditions);
      if (body !== lastBody) {
        await options.onManifest(manifest, serializeManifest(manifest));
        lastBody = body;
        previous = manifest;
      }
    } catch (error) {
      options.onError?.(error as Error);
    }
    await sleep(options.intervalMs, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
