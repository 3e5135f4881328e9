/**
 * GET /live/<stream>/shoal-manifest.json: the segment hash manifest of the live version of a
 * stream, as a live packager running shoal-hash --watch would keep it: the segments of the
 * current window (and one window before it) under their live names, hashes taken from the VOD
 * manifest (live segment n is VOD segment n mod count, byte for byte).
 */
import path from 'node:path';
import { MANIFEST_FORMAT, MANIFEST_VERSION, parseManifest, type ManifestRendition, type ManifestSegment } from '@shoal/core/integrity';
import { liveSegmentName, liveWindowOf, timelineOf } from './live.js';
import { bufferResource } from './send.js';
import { notFound, type RouteContext, type Target } from './vod-route.js';

const HEADERS = { 'Cache-Control': 'no-cache' };

/** `segments` are the decoded path segments after /live/: [stream, ..., 'shoal-manifest.json']. */
export async function liveManifest(ctx: RouteContext, segments: string[]): Promise<Target> {
  const kind = 'other';
  const abs = ctx.files.resolve(segments);
  if (!abs) return { kind, status: 403, message: 'forbidden' };
  const read = await ctx.files.readText(abs);
  if (!read) return notFound(kind, 'this stream has no segment hash manifest');
  const parsed = parseManifest(read.text);
  if (!parsed.ok) return { kind, status: 500, message: `bad VOD manifest: ${parsed.error}` };
  const clock = { startMs: ctx.startMs, nowMs: ctx.clock(), window: ctx.liveWindow };
  const renditions: ManifestRendition[] = [];
  for (const rendition of parsed.manifest.renditions) {
    const playlistAbs = ctx.catalog.resolveUri(abs, rendition.playlist);
    const playlist = playlistAbs ? await ctx.catalog.playlist(playlistAbs).catch(() => undefined) : undefined;
    if (playlist?.type !== 'media' || playlist.segments.length === 0) continue;
    const byKey = new Map(rendition.segments.map((s) => [`${s.uri}#${s.byteRange ?? ''}`, s]));
    const window = liveWindowOf(timelineOf(playlist), clock);
    const out: ManifestSegment[] = [];
    for (let n = Math.max(0, window.last - 2 * ctx.liveWindow + 1); n <= window.last; n++) {
      const vod = playlist.segments[n % playlist.segments.length]!;
      const range = vod.byteRange ? `${vod.byteRange.length}@${vod.byteRange.offset}` : '';
      const entry = byKey.get(`${vod.uri}#${range}`);
      if (entry) out.push({ uri: liveSegmentName(n, vod.uri), seq: n, size: entry.size, sha256: entry.sha256 });
    }
    renditions.push({ playlist: rendition.playlist, segments: out });
  }
  const manifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    algorithm: 'SHA-256',
    live: true,
    generated: new Date(ctx.clock()).toISOString(),
    renditions,
  };
  const body = Buffer.from(JSON.stringify(manifest), 'utf8');
  return { kind, resource: bufferResource(body, 'application/json', HEADERS) };
}

/** Whether a live path names the manifest. */
export function isManifestPath(last: string): boolean {
  return path.posix.basename(last) === 'shoal-manifest.json';
}
