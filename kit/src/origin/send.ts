/**
 * Writing responses: CORS, Range/206/416, HEAD, byte counting on write, and the body faults
 * (truncation, wrong Content-Length).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRange } from './range.js';

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges, Content-Type, Date, Age',
  'Timing-Allow-Origin': '*',
};

export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Range, Content-Type, If-Range, Cache-Control',
  'Access-Control-Max-Age': '600',
};

export interface Resource {
  size: number;
  contentType: string;
  headers?: Record<string, string>;
  /** Bytes [start, end], inclusive. */
  read(start: number, end: number): AsyncIterable<Buffer>;
}

export interface SendOptions {
  /** Adds body bytes once they were handed to the socket. */
  count: (bytes: number) => void;
  /** Send at most this many body bytes, then destroy the socket. */
  truncateTo?: number;
  /** Announce more bytes than the body has, send the body, then destroy the socket. */
  wrongLength?: boolean;
}

/** Extra bytes announced by the wrongLength fault. */
export const WRONG_LENGTH_EXTRA = 1000;

export function bufferResource(data: Buffer, contentType: string, headers?: Record<string, string>): Resource {
  const r: Resource = {
    size: data.length,
    contentType,
    async *read(start, end) {
      if (end >= start) yield data.subarray(start, end + 1);
    },
  };
  if (headers) r.headers = headers;
  return r;
}

function waitDrainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Write chunks with backpressure. Bytes are counted in each write's callback, i.e. when they
 * reached the socket; writes that fail because the client went away are not counted.
 * Resolves with the bytes written and a promise for the last write's flush.
 */
async function pump(
  res: ServerResponse,
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  limit: number | undefined,
  count: (bytes: number) => void,
): Promise<{ sent: number; flushed: Promise<void> }> {
  let sent = 0;
  let flushed: Promise<void> = Promise.resolve();
  for await (const full of chunks) {
    if (res.destroyed) break;
    const chunk = limit !== undefined && sent + full.length > limit ? full.subarray(0, limit - sent) : full;
    if (chunk.length > 0) {
      const n = chunk.length;
      let ok = true;
      flushed = new Promise<void>((resolve) => {
        ok = res.write(chunk, (err) => {
          if (!err) count(n);
          resolve();
        });
      });
      sent += n;
      if (!ok && !res.destroyed) await waitDrainOrClose(res);
    }
    if (limit !== undefined && sent >= limit) break;
  }
  return { sent, flushed };
}

async function destroyAfterFlush(res: ServerResponse, flushed: Promise<void>): Promise<void> {
  // flushHeaders is a no-op once headers went out with the first body chunk
  if (!res.headersSent) res.flushHeaders();
  await flushed;
  // let the kernel hand the bytes to the client before the connection goes
  await new Promise((r) => setImmediate(r));
  res.destroy();
}

/** Serve a resource, honouring a single Range and HEAD. */
export async function sendResource(req: IncomingMessage, res: ServerResponse, resource: Resource, opts: SendOptions): Promise<void> {
  const { size } = resource;
  const range = parseRange(req.headers.range, size);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', resource.contentType);
  for (const [k, v] of Object.entries(resource.headers ?? {})) res.setHeader(k, v);
  if (range.kind === 'unsatisfiable') {
    res.statusCode = 416;
    res.setHeader('Content-Range', `bytes */${size}`);
    res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  let start = 0;
  let end = size - 1;
  if (range.kind === 'range') {
    ({ start, end } = range.range);
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  } else {
    res.statusCode = 200;
  }
  const length = end - start + 1;
  res.setHeader('Content-Length', String(opts.wrongLength ? length + WRONG_LENGTH_EXTRA : length));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const truncating = opts.truncateTo !== undefined && opts.truncateTo < length;
  const { flushed } = await pump(res, resource.read(start, end), truncating ? opts.truncateTo : undefined, opts.count);
  if (truncating || opts.wrongLength) {
    await destroyAfterFlush(res, flushed);
  } else if (!res.destroyed) {
    res.end();
  }
}

/** A short text answer (errors, control endpoints); counted like any body. */
export async function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  text: string,
  count: (bytes: number) => void = () => {},
  contentType = 'text/plain; charset=utf-8',
): Promise<void> {
  const body = Buffer.from(text.endsWith('\n') ? text : text + '\n', 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(body.length));
  res.setHeader('Cache-Control', 'no-store');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pump(res, [body], undefined, count);
  if (!res.destroyed) res.end();
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): Promise<void> {
  return sendText(req, res, status, JSON.stringify(value), undefined, 'application/json');
}
