/**
 * The demo in one process: the local origin (sample streams), the tracker (peer discovery,
 * stats, dashboard) and a small static server for the page. All on loopback by default.
 */
import { readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { startTracker } from '@shoal/tracker';
import { startOrigin } from '@shoal/test-kit';
import { loadAssets, type Asset } from './assets.js';
import { createPlayerAssets } from './player-assets.js';
import type { DemoConfig } from './page/config.js';
import { paths } from './paths.js';

export interface DemoOptions {
  /** Port of the demo page; 0 (default) picks a free one. */
  port?: number;
  /** Port of the local origin; 0 (default) picks a free one. */
  originPort?: number;
  /** Port of the tracker; 0 (default) picks a free one. */
  trackerPort?: number;
  /** Interface for all three servers (default 127.0.0.1). */
  host?: string;
  /** Folder of sample streams (default: the test kit's sample streams). */
  mediaRoot?: string;
}

export interface Demo {
  /** The page to open, e.g. http://127.0.0.1:8080/ */
  url: string;
  originUrl: string;
  trackerWsUrl: string;
  trackerHttpUrl: string;
  /** The tracker's dashboard page. */
  dashboardUrl: string;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  const mediaRoot = options.mediaRoot ?? paths.mediaRoot;
  const [assets, streams] = await Promise.all([loadAssets(), listStreams(mediaRoot)]);
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    await Promise.allSettled(closers.reverse().map((close) => close()));
  };
  try {
    const origin = await named('origin', options.originPort, () => startOrigin({ root: mediaRoot, port: options.originPort ?? 0, host }));
    closers.push(() => origin.close());
    const tracker = await named('tracker', options.trackerPort, () =>
      // A livelier dashboard than the production default (10 s points), and quiet logs.
      startTracker({ port: options.trackerPort ?? 0, host, statsIntervalMs: 2000, logLevel: 'warn', shutdownGraceMs: 1000 }),
    );
    closers.push(() => tracker.close());

    const config: DemoConfig = {
      originUrl: origin.url.replace(/\/$/, ''),
      trackerWsUrl: tracker.wsUrl,
      trackerHttpUrl: tracker.httpUrl.replace(/\/$/, ''),
      streams,
    };
    const playerAssets = createPlayerAssets();
    const server = createServer((req, res) => handle(req, res, assets, playerAssets, config, () => origin.stats()));
    const port = await named('demo page', options.port, () => listen(server, options.port ?? 0, host));
    closers.push(() => closeServer(server));

    return {
      url: `http://${urlHost(host)}:${port}/`,
      originUrl: config.originUrl,
      trackerWsUrl: config.trackerWsUrl,
      trackerHttpUrl: config.trackerHttpUrl,
      dashboardUrl: `${config.trackerHttpUrl}/`,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

interface OriginTotals {
  requests: number;
  bytes: number;
  byKind: Record<string, { requests: number; bytes: number }>;
  since: number;
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  assets: Map<string, Asset>,
  playerAssets: (route: string) => Promise<Asset> | undefined,
  config: DemoConfig,
  originStats: () => OriginTotals,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://demo').pathname;
  if (pathname === '/config.json') return send(req, res, 'application/json', JSON.stringify(config));
  if (pathname === '/origin-stats.json') {
    // The origin's own count of what it served, to every tab: the number P2P is meant to shrink.
    const { requests, bytes, byKind, since } = originStats();
    return send(req, res, 'application/json', JSON.stringify({ requests, bytes, segmentBytes: byKind['segment']?.bytes ?? 0, since }));
  }
  const asset = assets.get(pathname === '/index.html' ? '/' : pathname);
  const playerAsset = asset ? undefined : playerAssets(pathname);
  if (playerAsset) {
    playerAsset.then(
      (a) => send(req, res, a.type, a.body),
      (error: Error) => res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${pathname}: ${error.message}\n`),
    );
    return;
  }
  if (!asset) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  send(req, res, asset.type, asset.body);
}

function send(req: IncomingMessage, res: ServerResponse, type: string, body: string | Buffer): void {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.length, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : data);
}

async function listStreams(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory() && existsSync(path.join(root, e.name, 'master.m3u8'))).map((e) => e.name);
  // The plain sample first: it is what the page plays by default.
  return names.sort((a, b) => (a === 'sample' ? -1 : b === 'sample' ? 1 : a.localeCompare(b)));
}

/** Runs a start step; a busy port becomes an error that names the service and the way out. */
async function named<T>(service: string, port: number | undefined, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`demo: port ${port} for the ${service} is already in use; pick another one (see --help)`, { cause: error });
    }
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
