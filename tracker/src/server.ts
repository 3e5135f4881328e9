/**
 * Wires the tracker together on one port: WebSocket upgrades (any path) go to the swarm handler,
 * everything else to the HTTP routes. Owns the timers and the graceful shutdown.
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
import { Conn, Registry } from './swarm/registry.js';
import { StatsIngest } from './stats/ingest.js';
import { loadState, saveState } from './stats/persist.js';
import { StatsStore } from './stats/store.js';
import { CloseCode, nowMs, type WsConnection, type WsContext } from './ws/connection.js';
import { acceptUpgrade, refuse, type Admission, type UpgradeInfo } from './ws/upgrade.js';
import { ClientAddress } from './http/client-address.js';
import { createMetrics } from './http/metrics.js';
import { createRoutes } from './http/routes.js';
import { loadAssets } from './http/assets.js';
import { buildApiStats, type ApiStats } from './stats/api.js';
import { ClusterNode } from './cluster/node.js';
import type { ClusterApiStats } from './cluster/aggregate.js';

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

const SWEEP_MS = 5000;

export async function startTracker(options: StartOptions = {}): Promise<RunningTracker> {
  const { logger, ...rest } = options;
  const cfg = resolveConfig({ overrides: { ...rest, port: options.port ?? 0 } });
  const log = logger ?? createLogger(cfg.logLevel);
  const registry = new Registry(cfg.statsMaxSessions, cfg.statsMemberGraceMs);
  const counters = new Counters();
  const cluster = cfg.redis !== '' ? new ClusterNode(cfg, registry, log) : undefined;
  const handler = new MessageHandler(cfg, registry, counters, (err) => log.error({ err }, 'message handler failed'), cluster?.membership, cluster?.relay);
  const store = new StatsStore(cfg.statsHistory, Math.max(2, Math.floor(cfg.statsHistory / 6)), cfg.statsMaxSwarms, cfg.statsIntervalMs);
  const ingest = new StatsIngest(
    (swarm, peer) => {
      const now = nowMs();
      const m = registry.memberInfo(swarm, peer, now);
      return m && { ip: m.ip, present: m.present, sinceMs: now - m.joinedAt, connectionLifeMs: m.allowance.lifeMs(now), spent: m.allowance.spent };
    },
    store,
    {
      maxBytesPerSecond: cfg.statsMaxBytesPerSecond,
      maxSessions: cfg.statsMaxSessions,
      maxSessionsPerIp: cfg.statsMaxSessionsPerIp,
      maxPeers: cfg.maxPeersPerSwarm,
      graceMs: cfg.statsMemberGraceMs,
    },
  );
  if (cfg.stateFile !== '' && loadState(cfg.stateFile, store, ingest, Date.now())) log.info({ stateFile: cfg.stateFile }, 'stats state loaded');

  const conns = new Set<Conn>();
  const perIp = new Map<string, number>();
  const statsResults = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const allowAnyOrigin = cfg.allowedOrigins.length === 0 || cfg.allowedOrigins.includes('*');
  const origins = new Set(cfg.allowedOrigins);
  let closing = false;

  const ctx: WsContext = {
    maxMessageBytes: cfg.maxMessageBytes,
    maxFramesPerMessage: cfg.maxFramesPerMessage,
    maxChunksPerFrame: cfg.maxChunksPerFrame,
    messageTimeoutMs: cfg.messageTimeoutMs,
    maxBufferedBytes: cfg.maxBufferedBytes,
    onMessage: (conn: WsConnection, text: string) => {
      if (conn instanceof Conn) handler.onMessage(conn, text);
    },
    onViolation: (_conn, reason) => counters.reject(reason),
    onClose: (conn: WsConnection) => {
      if (!(conn instanceof Conn)) return;
      registry.leaveAll(conn, nowMs());
      conns.delete(conn);
      const n = (perIp.get(conn.ip) ?? 1) - 1;
      if (n <= 0) perIp.delete(conn.ip);
      else perIp.set(conn.ip, n);
    },
  };

  const admit = (info: UpgradeInfo): Admission<Conn> => {
    const no = (status: number, code: string, reason: string): Admission<Conn> => {
      counters.reject(code);
      return { ok: false, status, reason };
    };
    if (closing) return no(503, 'shutting_down', 'tracker is shutting down');
    if (!allowAnyOrigin && (info.origin === undefined || !origins.has(info.origin))) return no(403, 'origin', 'origin not allowed');
    if (conns.size >= cfg.maxConnections) return no(503, 'connection_limit', 'too many connections');
    if ((perIp.get(info.ip) ?? 0) >= cfg.maxConnectionsPerIp) return no(429, 'ip_connection_limit', 'too many connections from this address');
    let urlToken: string | undefined;
    const q = info.url.indexOf('?');
    if (q >= 0) urlToken = new URLSearchParams(info.url.slice(q + 1)).get('token') ?? undefined;
    return { ok: true, create: (socket) => new Conn(socket, info.ip, ctx, urlToken, cfg.messageBurst) };
  };

  const addresses = new ClientAddress(cfg.trustProxy, cfg.trustedProxies, (forwarder) =>
    log.warn({ forwarder }, 'X-Forwarded-For from an address not in trustedProxies is ignored; if it is your proxy, add it to --trusted-proxies'),
  );
  const clientAddress = (req: IncomingMessage) => addresses.of(req);
  const upgradeOptions = { clientAddress, admit };
  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const conn = acceptUpgrade(req, socket, head, upgradeOptions);
    if (conn === undefined || conn.closed) return;
    conns.add(conn);
    perIp.set(conn.ip, (perIp.get(conn.ip) ?? 0) + 1);
    counters.connectionsOpened++;
  };

  const metrics = createMetrics({
    counters,
    statsResults,
    connections: () => conns.size,
    swarms: () => registry.swarms.size,
    peers: () => registry.peerCount,
    statsTotals: () => store.overall,
    ...(cluster !== undefined ? { cluster: () => cluster.health() } : {}),
  });
  const viewersOf = (hex: string) => registry.swarms.get(hexToBinary(hex))?.list.length ?? 0;
  const apiStats = () => buildApiStats(store, registry, counters, conns.size, viewersOf, cfg.statsIntervalMs);
  const routes = createRoutes({
    metrics,
    allowedOrigins: cfg.allowedOrigins,
    clientAddress,
    assets: loadAssets(),
    // Without Redis a cluster node still serves its own peers: degraded, but up (HTTP 200).
    health: () => ({
      status: closing ? 'shutting_down' : cluster !== undefined && !cluster.redisUp ? 'degraded' : 'ok',
      uptimeSec: Math.round(process.uptime()),
      connections: conns.size,
      swarms: registry.swarms.size,
      peers: registry.peerCount,
      ...(cluster !== undefined ? { cluster: cluster.health() } : {}),
    }),
    apiStats: () => (cluster !== undefined ? cluster.stats() : apiStats()),
    ingest: (report, ip) => {
      const r = ingest.accept(report, ip, Date.now());
      bump(statsResults, r.ok ? 'accepted' : r.code);
      return r;
    },
    refusedReport: (code) => bump(statsResults, code),
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

  let lastPrune = 0;
  const sweep = setInterval(() => {
    const now = nowMs();
    const dropped = registry.sweep(now, cfg.peerTimeoutMs);
    if (dropped > 0) counters.leaves += dropped;
    for (const c of conns) {
      if (c.checkDeadline(now)) continue;
      const idle = now - c.lastSeen;
      if (idle > 2 * cfg.idleTimeoutMs && c.pinged) {
        counters.reject('idle_timeout');
        c.destroy();
      } else if (idle > cfg.idleTimeoutMs && !c.pinged) c.ping();
    }
    if (now - lastPrune > 60_000) {
      lastPrune = now;
      ingest.prune(Date.now());
    }
  }, Math.min(SWEEP_MS, cfg.idleTimeoutMs / 2, cfg.peerTimeoutMs / 2, cfg.messageTimeoutMs / 2));
  sweep.unref();
  const tick = setInterval(() => {
    store.tick(Date.now(), registry.peerCount, (function* () {
      for (const s of registry.swarms.values()) yield [s.hex, s.list.length] as const;
    })());
  }, cfg.statsIntervalMs);
  tick.unref();

  const wsUrl = `${tls ? 'wss' : 'ws'}://${urlHost}:${port}`;
  const httpUrl = `${tls ? 'https' : 'http'}://${urlHost}:${port}`;
  if (cluster !== undefined) await cluster.start(handler, httpUrl, apiStats);
  log.info({ port, host: cfg.host, tls }, 'tracker listening');

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      closing = true;
      clearInterval(sweep);
      clearInterval(tick);
      log.info({ connections: conns.size }, 'tracker shutting down');
      let httpClosed = false;
      const httpDone = new Promise<void>((resolve) => server.close(() => resolve())).then(() => {
        httpClosed = true;
      });
      server.closeIdleConnections();
      for (const c of conns) c.close(CloseCode.GoingAway, 'tracker shutting down');
      const deadline = Date.now() + cfg.shutdownGraceMs;
      while (!httpClosed && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        server.closeIdleConnections();
      }
      if (!httpClosed) {
        for (const c of conns) c.destroy();
        server.closeAllConnections();
      }
      await httpDone;
      await cluster?.close();
      store.tick(Date.now(), registry.peerCount, []);
      if (cfg.stateFile !== '') {
        saveState(cfg.stateFile, store, ingest);
        log.info({ stateFile: cfg.stateFile }, 'stats state saved');
      }
      log.info('tracker stopped');
    })());

  return {
    wsUrl,
    httpUrl,
    port,
    config: cfg,
    stats: apiStats,
    clusterStats: () => (cluster !== undefined ? cluster.stats() : Promise.resolve(apiStats())),
    cluster,
    close,
  };
}
