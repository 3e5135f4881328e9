/**
 * GET /live/<stream>/...: a VOD stream replayed as an endless live stream.
 *   *.m3u8            master: variant URIs mapped to their live versions; media: sliding window
 *   <dir>/seg-<n>.ext live segment n = VOD segment n mod count of the media playlist in <dir>
 *   shoal-manifest.json  segment hashes of the current window (from the VOD manifest)
 *   anything else     the VOD file (init segments, keys, single-file media)
 */
import type { IncomingMessage } from 'node:http';
import { readInterval } from './files.js';
import { isManifestPath, liveManifest } from './live-manifest.js';
import { isProduced, LIVE_SEGMENT_RE, renderLivePlaylist, timelineOf, uriExtension, vodSegmentOf } from './live.js';
import { type AttrList, attr, formatMaster, type MasterPlaylist, PlaylistError, withQuotedAttr } from './m3u8.js';
import { contentTypeOf, PLAYLIST_TYPE } from './mime.js';
import { bufferResource, type Resource } from './send.js';
import { notFound, resolveStatic, type RouteContext, type Target } from './vod-route.js';

const PLAYLIST_HEADERS = { 'Cache-Control': 'no-cache' };
/** A live segment URL always names the same bytes. */
const SEGMENT_HEADERS = { 'Cache-Control': 'public, max-age=3600, immutable' };

/** Absolute /vod/<stream>/ URIs in a master playlist become /live/<stream>/ ones. */
function liveUri(uri: string, stream: string): string {
  const vodPrefix = `/vod/${encodeURIComponent(stream)}/`;
  return uri.startsWith(vodPrefix) ? `/live/${encodeURIComponent(stream)}/${uri.slice(vodPrefix.length)}` : uri;
}

export function liveMaster(pl: MasterPlaylist, stream: string): string {
  const items = pl.items.map((item) => {
    if (typeof item === 'string') return item;
    let attrs: AttrList = item.attrs;
    const uriAttr = attr(attrs, 'URI');
    if (uriAttr !== undefined) attrs = withQuotedAttr(attrs, 'URI', liveUri(uriAttr, stream));
    return { ...item, attrs, ...(item.uri !== undefined ? { uri: liveUri(item.uri, stream) } : {}) };
  });
  return formatMaster({ type: 'master', items });
}

async function livePlaylist(ctx: RouteContext, segments: string[], stream: string): Promise<Target> {
  const kind = 'playlist';
  const abs = ctx.files.resolve(segments);
  if (!abs) return { kind, status: 403, message: 'forbidden' };
  let pl;
  try {
    pl = await ctx.catalog.playlist(abs);
  } catch (e) {
    if (e instanceof PlaylistError) return { kind, status: 500, message: `bad VOD playlist: ${e.message}` };
    throw e;
  }
  if (!pl) return notFound(kind);
  let text: string;
  if (pl.type === 'master') {
    text = liveMaster(pl, stream);
  } else {
    if (pl.segments.length === 0) return { kind, status: 500, message: 'VOD playlist has no segments' };
    text = renderLivePlaylist(pl, { startMs: ctx.startMs, nowMs: ctx.clock(), window: ctx.liveWindow });
  }
  return { kind, resource: bufferResource(Buffer.from(text, 'utf8'), PLAYLIST_TYPE, PLAYLIST_HEADERS) };
}

async function liveSegment(ctx: RouteContext, segments: string[], n: number, ext: string): Promise<Target> {
  const kind = 'segment';
  const dir = ctx.files.resolve(segments.slice(0, -1));
  if (!dir) return { kind, status: 403, message: 'forbidden' };
  const found = await ctx.catalog.mediaPlaylistIn(dir);
  if (!found || found.playlist.segments.length === 0) return notFound(kind, 'no media playlist here');
  const pl = found.playlist;
  const clock = { startMs: ctx.startMs, nowMs: ctx.clock(), window: ctx.liveWindow };
  if (!isProduced(timelineOf(pl), clock, n)) return notFound(kind, `segment ${n} is not available yet`);
  const { segment } = vodSegmentOf(pl, n);
  if (uriExtension(segment.uri) !== ext) return notFound(kind, 'wrong extension');
  const file = ctx.catalog.resolveUri(found.path, segment.uri);
  const entry = file ? await ctx.files.open(file) : undefined;
  if (!entry) return notFound(kind, 'VOD segment missing');
  const offset = segment.byteRange?.offset ?? 0;
  const size = segment.byteRange ? segment.byteRange.length : entry.size;
  if (offset + size > entry.size) return { kind, status: 500, message: 'byte range beyond the file' };
  const resource: Resource = {
    size,
    contentType: contentTypeOf(segment.uri),
    headers: SEGMENT_HEADERS,
    read: (start, end) => readInterval(entry, offset + start, offset + end),
  };
  return { kind, resource };
}

/** `segments` are the decoded path segments after /live/: [stream, ...path]. */
export async function resolveLive(ctx: RouteContext, req: IncomingMessage, segments: string[], urlPath: string): Promise<Target> {
  const [stream] = segments;
  const last = segments[segments.length - 1] ?? '';
  if (stream === undefined || segments.length < 2) return notFound('other');
  if (isManifestPath(last)) return liveManifest(ctx, segments);
  if (last.toLowerCase().endsWith('.m3u8')) return livePlaylist(ctx, segments, stream);
  const m = LIVE_SEGMENT_RE.exec(last);
  if (m) return liveSegment(ctx, segments, Number(m[1]), m[2] ?? '');
  return resolveStatic(ctx, req, segments, urlPath);
}
