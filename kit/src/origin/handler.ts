/** The origin's request dispatcher: CORS, control endpoints, faults, media routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultError, type FaultTable } from './faults.js';
import { decodeSegments } from './files.js';
import { resolveLive } from './live-route.js';
import { MPD_NAME, resolveMpd } from './mpd-route.js';
import { CORS_HEADERS, PREFLIGHT_HEADERS, sendJson, sendResource, sendText } from './send.js';
import type { StatsCollector } from './stats.js';
import { classifyPath } from './stats.js';
import { resolveStatic, type RouteContext, type Target } from './vod-route.js';

export interface HandlerDeps extends RouteContext {
  stats: StatsCollector;
  faults: FaultTable;
}

const MAX_CONTROL_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_CONTROL_BODY) throw new FaultError('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

async function control(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const method = req.method ?? 'GET';
  if (path === '/stats' && (method === 'GET' || method === 'HEAD')) {
    await sendJson(req, res, 200, deps.stats.snapshot());
  } else if (path === '/stats/reset' && method === 'POST') {
    deps.stats.reset();
    await sendJson(req, res, 200, { ok: true });
  } else if (path === '/faults' && (method === 'GET' || method === 'HEAD')) {
    await sendJson(req, res, 200, deps.faults.list());
  } else if (path === '/faults' && method === 'POST') {
    try {
      const text = await readBody(req);
      deps.faults.set(JSON.parse(text.trim() === '' ? '[]' : text) as never);
      await sendJson(req, res, 200, { ok: true, rules: deps.faults.list().length });
    } catch (e) {
      const msg = e instanceof FaultError || e instanceof SyntaxError ? e.message : String(e);
      await sendJson(req, res, 400, { error: msg });
    }
  } else if (path === '/stats' || path === '/stats/reset' || path === '/faults') {
    await sendText(req, res, 405, 'method not allowed');
  } else {
    return false;
  }
  return true;
}

async function resolveMedia(deps: HandlerDeps, req: IncomingMessage, live: boolean, segments: string[], path: string): Promise<Target> {
  // A DASH manifest is rendered from the HLS stream beside it, unless the stream ships its own (VOD).
  if (segments[segments.length - 1] === MPD_NAME && (live || !(await shipped(deps, segments)))) return resolveMpd(deps, segments, live);
  return live ? resolveLive(deps, req, segments, path) : resolveStatic(deps, req, segments, path);
}

async function shipped(deps: HandlerDeps, segments: string[]): Promise<boolean> {
  const abs = deps.files.resolve(segments);
  return abs !== undefined && (await deps.files.open(abs)) !== undefined;
}

async function media(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const parts = path.split('/').slice(1); // ['vod'|'live', stream, ...]
  const route = parts[0];
  const segments = decodeSegments(parts.slice(1));
  let target: Target;
  if (!segments) {
    target = { kind: classifyPath(path), status: 400, message: 'bad path' };
  } else {
    target = await resolveMedia(deps, req, route === 'live', segments, path);
  }
  const fault = deps.faults.take(path);
  const count = deps.stats.begin(path, target.kind);
  if (fault?.delayMs) await sleep(fault.delayMs, res);
  if (res.destroyed || req.destroyed) return;
  if (fault?.status !== undefined) {
    await sendText(req, res, fault.status, `injected fault: status ${fault.status}`, count);
  } else if ('status' in target) {
    await sendText(req, res, target.status, target.message, count);
  } else {
    const opts: Parameters<typeof sendResource>[3] = { count };
    if (fault?.truncateTo !== undefined) opts.truncateTo = fault.truncateTo;
    if (fault?.wrongLength) opts.wrongLength = true;
    await sendResource(req, res, target.resource, opts);
  }
}

export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    const run = async (): Promise<void> => {
      let path: string;
      try {
        path = new URL(req.url ?? '/', 'http://origin').pathname;
      } catch {
        return sendText(req, res, 400, 'bad url');
      }
      // reject raw dot segments before URL normalisation could hide them
      const raw = (req.url ?? '').split(/[?#]/, 1)[0] ?? '';
      if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(raw)) return sendText(req, res, 400, 'bad path');
      if (req.method === 'OPTIONS') {
        for (const [k, v] of Object.entries(PREFLIGHT_HEADERS)) res.setHeader(k, v);
        res.statusCode = 204;
        res.end();
        return;
      }
      if (await control(deps, req, res, path)) return;
      if (path.startsWith('/vod/') || path.startsWith('/live/')) {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('Allow', 'GET, HEAD, OPTIONS');
          return sendText(req, res, 405, 'method not allowed');
        }
        return media(deps, req, res, path);
      }
      if (path === '/' || path === '') {
        return sendText(req, res, 200, 'shoal origin: /vod/<stream>/..., /live/<stream>/..., /stats, /faults');
      }
      return sendText(req, res, 404, 'not found');
    };
    run().catch((err: unknown) => {
      if (!res.headersSent) {
        void sendText(req, res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      } else {
        res.destroy();
      }
    });
  };
}
