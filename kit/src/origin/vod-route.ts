/** GET /vod/<stream>/<path>: static files from the media root. */
import type { IncomingMessage } from 'node:http';
import type { Catalog } from './catalog.js';
import { type FileStore, readInterval } from './files.js';
import { contentTypeOf } from './mime.js';
import { parseRange } from './range.js';
import type { Resource } from './send.js';
import { classifyPath } from './stats.js';
import type { RequestKind } from './types.js';

export interface RouteContext {
  files: FileStore;
  catalog: Catalog;
  clock: () => number;
  /** Clock value when the origin started (the live timeline's anchor). */
  startMs: number;
  liveWindow: number;
}

/** What a media request resolved to: a resource, or an error answer. */
export type Target = { kind: RequestKind; resource: Resource } | { kind: RequestKind; status: number; message: string };

export function notFound(kind: RequestKind, message = 'not found'): Target {
  return { kind, status: 404, message };
}

/**
 * A file under the root given decoded path segments [stream, ...path]. `urlPath` is the request
 * path, used for classification.
 */
export async function resolveStatic(ctx: RouteContext, req: IncomingMessage, segments: string[], urlPath: string): Promise<Target> {
  let kind = classifyPath(urlPath);
  if (segments.length < 2) return notFound(kind);
  const abs = ctx.files.resolve(segments);
  if (!abs) return { kind, status: 403, message: 'forbidden' };
  const entry = await ctx.files.open(abs);
  if (!entry) return notFound(kind);
  if (kind === 'playlist') {
    // parsing teaches the catalog the init byte ranges of single-file streams
    await ctx.catalog.playlist(abs).catch(() => undefined);
  } else if (kind === 'segment') {
    const r = parseRange(req.headers.range, entry.size);
    if (r.kind === 'range' && ctx.catalog.isInitRange(abs, r.range.start, r.range.end)) kind = 'init';
  }
  const resource: Resource = {
    size: entry.size,
    contentType: contentTypeOf(abs),
    headers: { 'Last-Modified': new Date(entry.mtimeMs).toUTCString() },
    read: (start, end) => readInterval(entry, start, end),
  };
  return { kind, resource };
}
