/**
 * Local HLS origin for tests and benchmarks (node:http only):
 *   GET  /vod/<stream>/<path>    static files under `root` (Range, HEAD, CORS)
 *   GET  /live/<stream>/<path>   the same stream as a looping live sliding window
 *   GET  /stats, POST /stats/reset, GET|POST /faults
 */
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalog } from './catalog.js';
import { FaultTable } from './faults.js';
import { FileStore } from './files.js';
import { createHandler } from './handler.js';
import { StatsCollector } from './stats.js';
import type { FaultRule, Origin, OriginOptions } from './types.js';

export type { ByteCount, FaultRule, Origin, OriginOptions, OriginStats, RequestKind } from './types.js';

/** The sample streams (kit/media), next to this package's src/. */
export const DEFAULT_MEDIA_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../media');

export async function startOrigin(opts: OriginOptions): Promise<Origin> {
  const clock = opts.clock ?? Date.now;
  const host = opts.host ?? '127.0.0.1';
  const liveWindow = opts.liveWindow ?? 6;
  if (!Number.isInteger(liveWindow) || liveWindow < 1) throw new RangeError('liveWindow must be a positive integer');
  const files = new FileStore(opts.root ?? DEFAULT_MEDIA_ROOT);
  const stats = new StatsCollector(clock);
  const faults = new FaultTable();
  const handler = createHandler({
    files,
    catalog: new Catalog(files),
    clock,
    startMs: clock(),
    liveWindow,
    stats,
    faults,
  });

  const server = opts.tls
    ? createHttpsServer({ keepAliveTimeout: 5000, key: opts.tls.key, cert: opts.tls.cert }, handler)
    : createServer({ keepAliveTimeout: 5000 }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `${opts.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaults: (rules: FaultRule[]) => faults.set(rules),
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      })),
  };
}
