/**
 * GET /vod/<stream>/.../manifest.mpd and /live/<stream>/.../manifest.mpd: the DASH version of the
 * HLS stream whose master.m3u8 sits in the same folder (see mpd.ts), unless a real manifest.mpd
 * file is there (then the static route serves it).
 */
import path from 'node:path';
import { liveWindowOf, timelineOf } from './live.js';
import { attr } from './m3u8.js';
import { renderLiveMpd, renderVodMpd, type MpdRendition } from './mpd.js';
import { contentTypeOf } from './mime.js';
import { bufferResource } from './send.js';
import { notFound, type RouteContext, type Target } from './vod-route.js';

export const MPD_NAME = 'manifest.mpd';
const MPD_TYPE = contentTypeOf(MPD_NAME);
const HEADERS = { 'Cache-Control': 'no-cache' };

async function renditionsOf(ctx: RouteContext, masterAbs: string): Promise<MpdRendition[] | undefined> {
  const master = await ctx.catalog.playlist(masterAbs).catch(() => undefined);
  if (master?.type !== 'master') return undefined;
  const out: MpdRendition[] = [];
  for (const item of master.items) {
    if (typeof item === 'string' || item.tag !== 'EXT-X-STREAM-INF' || item.uri === undefined) continue;
    const abs = ctx.catalog.resolveUri(masterAbs, item.uri);
    const playlist = abs ? await ctx.catalog.playlist(abs).catch(() => undefined) : undefined;
    if (playlist?.type !== 'media' || playlist.segments.length === 0) continue;
    const [width, height] = (attr(item.attrs, 'RESOLUTION') ?? '').split('x').map(Number);
    const dir = path.posix.dirname(item.uri);
    const frameRate = attr(item.attrs, 'FRAME-RATE');
    out.push({
      id: `v${out.length}`,
      bandwidth: Number(attr(item.attrs, 'BANDWIDTH') ?? 0),
      codecs: (attr(item.attrs, 'CODECS') ?? '').replace(/"/g, ''),
      ...(width && height ? { width, height } : {}),
      ...(frameRate ? { frameRate: String(Math.round(Number(frameRate))) } : {}),
      dir: dir === '.' ? '' : `${dir}/`,
      playlist,
    });
  }
  return out.length > 0 ? out : undefined;
}

/** `segments`: the decoded path after /vod/ or /live/: [stream, ..., 'manifest.mpd']. */
export async function resolveMpd(ctx: RouteContext, segments: string[], live: boolean): Promise<Target> {
  const kind = 'playlist';
  const masterAbs = ctx.files.resolve([...segments.slice(0, -1), 'master.m3u8']);
  if (!masterAbs) return { kind, status: 403, message: 'forbidden' };
  const renditions = await renditionsOf(ctx, masterAbs);
  if (!renditions) return notFound(kind, 'no HLS master playlist with media playlists next to this MPD');
  let text: string;
  if (live) {
    const timeline = timelineOf(renditions[0]!.playlist);
    const nowMs = ctx.clock();
    const window = liveWindowOf(timeline, { startMs: ctx.startMs, nowMs, window: ctx.liveWindow });
    text = renderLiveMpd({ renditions, timeline, window, windowSegments: ctx.liveWindow, nowMs });
  } else {
    text = renderVodMpd(renditions);
  }
  return { kind, resource: bufferResource(Buffer.from(text, 'utf8'), MPD_TYPE, HEADERS) };
}
