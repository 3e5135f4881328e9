/**
 * Wires the tracker together on one port: WebSocket upgrades (any path) pass admission and go to
 * the swarm handler, everything else to the HTTP routes. The parts live in server/ (admission,
 * connection table, sweeper, shutdown), swarm/ and stats/; this file only connects them and owns
 * the timers.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { resolveConfig } from './config/resolve.js';
import type { TrackerConfig } from './config/fields.js';
import { createLogger, type Logger } from './logger.js';
import { hexToBinary } from './protocol/ids.js';
import { Counters } from './swarm/counters.js';
import { MessageHandler } from './swarm/handler.js';
import { Registry } from './swarm/registry.js';
import { Client } from './swarm/client.js';
import { StatsService } from './stats/service.js';
import { nowMs, WsConnection, type WsContext } from './ws/connection.js';
import { refuse } from './ws/upgrade.js';
import { ClientAddress } from './http/client-address.js';
import { createMetrics } from './http/metrics.js';
import { createRoutes } from './http/routes.js';
import { loadAssets } from './http/assets.js';
import { buildApiStats, type ApiStats } from './stats/api.js';
import { dashboardStats } from './stats/dashboard-api.js';
import { ClusterNode } from './cluster/node.js';
import type { ClusterApiStats } from './cluster/aggregate.js';
import { AdmissionPolicy, upgradeHandler, urlToken } from './server/admission.js';
import { ConnectionTable } from './server/connections.js';
import { Shutdown } from './server/shutdown.js';
import { Sweeper } from './server/sweeper.js';
import { streamName, streamRows, type StreamRow } from './stats/stream-rows.js';
import { StreamHistograms } from './http/stream-histograms.js';

export interface StartOptions extends Partial<TrackerConfig> {
  /** Defaults to 0 (a free port) for programmatic use; the CLI defaults to 8000. */
  port?: number;
  host?: string;
  /** Use this logger instead of creating one from logLevel. */
  logger?: Logger;
}

export interface RunningTracker {
  /** ws://HOST:PORT (wss:// with TLS). */
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly port: number;
  readonly config: TrackerConfig;
  /** This process's own stats (GET /api/stats without a cluster). */
  stats(): ApiStats;
  /** Same data as GET /api/stats: the whole cluster with --redis, else this tracker. */
  clusterStats(): Promise<ApiStats | ClusterApiStats>;
  /** The cluster node (with --redis). */
  readonly cluster: ClusterNode | undefined;
  /** Graceful stop: refuse newcomers, tell peers (close 1001), finish HTTP, save state. */
  close(): Promise<void>;
}

export async function startTracker(options: StartOptions = {}): Promise<RunningTracker> {
  const { logger, ...rest } = options;
  const cfg = resolveConfig({ overrides: { ...rest, port: options.port ?? 0 } });
  const log = logger ?? createLogger(cfg.logLevel);
  const registry = new Registry(cfg.statsMaxSessions, cfg.statsMemberGraceMs);
  const counters = new Counters();
  const cluster = cfg.redis !== '' ? new ClusterNode(cfg, registry, log) : undefined;
  const handler = new MessageHandler(
    cfg,
    registry,
    counters,
    (err) => log.error({ err }, 'message handler failed'),
    cluster?.membership,
    cluster?.relay,
  );
  const stats = new StatsService(cfg, registry, log);
  stats.restore(Date.now());

  // The WebSocket layer reports by connection; the table turns it into the swarm side's client.
  const connections = new ConnectionTable<WsConnection>();
  const ctx: WsContext = {
    maxMessageBytes: cfg.maxMessageBytes,
    maxFramesPerMessage: cfg.maxFramesPerMessage,
    maxChunksPerFrame: cfg.maxChunksPerFrame,
    messageTimeoutMs: cfg.messageTimeoutMs,
    maxBufferedBytes: cfg.maxBufferedBytes,
    onMessage: (ws, text) => {
      const client = connections.get(ws.id);
      if (client !== undefined) handler.onMessage(client, text);
    },
    onViolation: (_ws, reason) => counters.reject(reason),
    onClose: (ws) => {
      const client = connections.remove(ws.id);
      if (client !== undefined) registry.leaveAll(client, nowMs());
    },
  };

  const addresses = new ClientAddress(cfg.trustProxy, cfg.trustedProxies, (forwarder) =>
    log.warn(
      { forwarder },
      'X-Forwarded-For from an address not in trustedProxies is ignored; if it is your proxy, add it to --trusted-proxies',
    ),
  );
  const clientAddress = (req: IncomingMessage) => addresses.of(req);
  const onUpgrade = upgradeHandler({
    policy: new AdmissionPolicy(cfg, connections, () => shutdown.closing),
    counters,
    clientAddress,
    open: (socket, info) => {
      const ws = new WsConnection(socket, info.ip, ctx);
      connections.add(new Client(ws, urlToken(info.url), cfg.messageBurst, ws.lastSeen));
      return ws;
    },
  });

  const cost = cfg.egressCostPerGb > 0 ? { perGb: cfg.egressCostPerGb, currency: cfg.egressCurrency } : null;
  const viewersOf = (hex: string) => registry.swarms.get(hexToBinary(hex))?.list.length ?? 0;
  let rows: { at: number; rows: StreamRow[] } = { at: -Infinity, rows: [] };
  const metrics = createMetrics({
    counters,
    statsResults: stats.results,
    connections: () => connections.size,
    swarms: () => registry.swarms.size,
    peers: () => registry.peerCount,
    statsTotals: () => stats.store.overall,
    streams: () => {
      // One scrape reads the rows for several metrics: built once per second at most.
      const now = Date.now();
      if (now - rows.at >= 1000) rows = { at: now, rows: streamRows(stats.store.swarmSummaries(viewersOf, now)) };
      return rows.rows;
    },
    qoeSplit: () => stats.store.split,
    cost,
    ...(cluster !== undefined ? { cluster: () => cluster.health() } : {}),
  });
  const histograms = new StreamHistograms(metrics, (hex) => streamName(hex, stats.store.labelOf(hex)));
  const apiStats = () => buildApiStats(stats.store, registry, counters, connections.size, viewersOf, cfg.statsIntervalMs, cost);
  const routes = createRoutes({
    metrics,
    allowedOrigins: cfg.allowedOrigins,
    clientAddress,
    assets: loadAssets(),
    // Without Redis a cluster node still serves its own peers: degraded, but up (HTTP 200).
    health: () => ({
      status: shutdown.closing ? 'shutting_down' : cluster !== undefined && !cluster.redisUp ? 'degraded' : 'ok',
      uptimeSec: Math.round(process.uptime()),
      connections: connections.size,
      swarms: registry.swarms.size,
      peers: registry.peerCount,
      ...(cluster !== undefined ? { cluster: cluster.health() } : {}),
    }),
    apiStats: async (query) =>
      dashboardStats(await (cluster !== undefined ? cluster.stats() : apiStats()), query, (swarm, range) =>
        stats.store.swarmBuckets(swarm, range, Date.now()),
      ),
    ingest: (report, ip) => {
      const result = stats.accept(report, ip, Date.now());
      if (result.ok && result.samples !== undefined) histograms.observe(report.swarm, result.samples);
      return result;
    },
    refusedReport: (code) => stats.refused(code),
  });

  const tls = cfg.tlsCert !== '';
  const server: Server = tls ? createHttpsServer({ cert: readFileSync(cfg.tlsCert), key: readFileSync(cfg.tlsKey) }) : createHttpServer();
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  // Sockets of any kind (WebSocket or plain HTTP): beyond this the kernel-accepted socket is dropped.
  server.maxConnections = cfg.maxConnections + 1000;
  server.on('request', routes);
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) refuse(socket, 400, 'bad request');
    else socket.destroy();
  });

  const timers: NodeJS.Timeout[] = [];
  const shutdown = new Shutdown({
    server,
    connections: () => connections.outboxes(),
    graceMs: cfg.shutdownGraceMs,
    begin: () => {
      for (const t of timers) clearInterval(t);
      log.info({ connections: connections.size }, 'tracker shutting down');
    },
    finish: async () => {
      await cluster?.close();
      stats.stop(Date.now());
      log.info('tracker stopped');
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'server error'));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : cfg.port;
  const urlHost = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host;

  const sweeper = new Sweeper(
    cfg,
    {
      sweepMembers: (now, timeoutMs) => registry.sweep(now, timeoutMs),
      connections: () => connections.outboxes(),
      pruneStats: (wallNow) => stats.ingest.prune(wallNow),
    },
    counters,
  );
  timers.push(
    setInterval(() => sweeper.sweep(nowMs(), Date.now()), sweeper.periodMs),
    setInterval(() => {
      stats.tick(Date.now());
      histograms.release((hex) => viewersOf(hex) > 0);
    }, cfg.statsIntervalMs),
  );
  for (const t of timers) t.unref();

  const wsUrl = `${tls ? 'wss' : 'ws'}://${urlHost}:${port}`;
  const httpUrl = `${tls ? 'https' : 'http'}://${urlHost}:${port}`;
  if (cluster !== undefined) await cluster.start(handler, httpUrl, apiStats);
  log.info({ port, host: cfg.host, tls }, 'tracker listening');

  return {
    wsUrl,
    httpUrl,
    port,
    config: cfg,
    stats: apiStats,
    clusterStats: () => (cluster !== undefined ? cluster.stats() : Promise.resolve(apiStats())),
    cluster,
    close: () => shutdown.close(),
  };
}
