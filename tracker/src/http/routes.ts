/**
 * HTTP routes on the tracker's port: stats ingestion (POST /stats, CORS), /metrics, /health,
 * /api/stats and the dashboard with its static assets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { parseReport, MAX_REPORT_BYTES, type StatsReport } from '../stats/report.js';
import type { IngestResult } from '../stats/ingest.js';
import { parseDashboardQuery, type DashboardQuery } from '../stats/dashboard-api.js';
import type { Asset } from './assets.js';

export interface RouteDeps {
  readonly metrics: Registry;
  readonly allowedOrigins: readonly string[];
  /** The client's address (see client-address.ts). */
  clientAddress(req: IncomingMessage): string;
  readonly assets: ReadonlyMap<string, Asset>;
  health(): unknown;
  /** A cluster node reads the other nodes' stats from Redis first. */
  apiStats(query: DashboardQuery): Promise<unknown>;
  ingest(report: StatsReport, ip: string): IngestResult;
  /** Counts a refused report (bad body, size, type, origin) by code. */
  refusedReport(code: string): void;
}

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(text);
}

function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.length === 0 || allowed.includes('*') || origin === undefined) return true;
  return allowed.includes(origin);
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return {
    'Access-Control-Allow-Origin': origin ?? '*',
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '86400',
    Vary: 'Origin',
  };
}

function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > max) {
        done = true;
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'));
      done = true;
    });
    req.on('error', () => {
      if (!done) resolve(undefined);
      done = true;
    });
  });
}

async function postStats(req: IncomingMessage, res: ServerResponse, d: RouteDeps): Promise<void> {
  const cors = corsHeaders(req);
  const refuse = (status: number, code: string, error: string) => {
    d.refusedReport(code);
    json(res, status, { error, code }, { ...cors, Connection: 'close' });
  };
  if (!originAllowed(req.headers.origin, d.allowedOrigins)) return refuse(403, 'origin', 'origin not allowed');
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'text/plain')
    return refuse(415, 'content_type', 'Content-Type must be application/json or text/plain');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REPORT_BYTES) return refuse(413, 'too_large', `body over ${MAX_REPORT_BYTES} bytes`);
  const body = await readBody(req, MAX_REPORT_BYTES);
  if (body === undefined) return refuse(413, 'too_large', `body over ${MAX_REPORT_BYTES} bytes`);
  const parsed = parseReport(body);
  if (!parsed.ok) return refuse(400, 'bad_report', parsed.error);
  const result = d.ingest(parsed.report, d.clientAddress(req));
  if (!result.ok) return json(res, result.status, { error: result.error, code: result.code }, cors);
  res.writeHead(204, cors);
  res.end();
}

export function createRoutes(d: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const fail = (err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : 'internal error' });
      else res.destroy();
    };
    try {
      if (path === '/stats') {
        if (method === 'OPTIONS') {
          res.writeHead(204, corsHeaders(req));
          res.end();
          return;
        }
        if (method === 'POST') {
          postStats(req, res, d).catch(fail);
          return;
        }
        return json(res, 405, { error: 'use POST' }, { Allow: 'POST, OPTIONS' });
      }
      if (method !== 'GET' && method !== 'HEAD') return json(res, 405, { error: 'method not allowed' }, { Allow: 'GET' });
      if (path === '/health') return json(res, 200, d.health());
      if (path === '/api/stats') {
        const search = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
        d.apiStats(parseDashboardQuery(search))
          .then((body) => json(res, 200, body, { 'Access-Control-Allow-Origin': '*' }))
          .catch(fail);
        return;
      }
      if (path === '/metrics') {
        d.metrics
          .metrics()
          .then((text) => {
            res.writeHead(200, { 'Content-Type': d.metrics.contentType });
            res.end(text);
          })
          .catch(fail);
        return;
      }
      const asset = d.assets.get(path === '/' ? '/dashboard' : path);
      if (asset !== undefined) {
        res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': asset.cache });
        res.end(asset.body);
        return;
      }
      json(res, 404, { error: 'not found' });
    } catch (err) {
      fail(err);
    }
  };
}
