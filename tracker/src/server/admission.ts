/**
 * Who gets a WebSocket: the Origin allow-list, the tracker-wide and per-address connection limits,
 * and no newcomers while shutting down. The address is the client's as the trusted proxies tell
 * it (http/client-address.ts). Every refusal is counted by code and answered with a plain HTTP
 * status before any WebSocket state exists (ws/upgrade.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TrackerConfig } from '../config/fields.js';
import type { Counters } from '../swarm/counters.js';
import { acceptUpgrade, type Admission, type UpgradeInfo } from '../ws/upgrade.js';
import type { WsConnection } from '../ws/connection.js';

export type AdmissionConfig = Pick<TrackerConfig, 'allowedOrigins' | 'maxConnections' | 'maxConnectionsPerIp'>;

/** What admission needs to know of the open connections. */
export interface ConnectionCounts {
  readonly size: number;
  fromIp(ip: string): number;
}

export type RefusalCode = 'shutting_down' | 'origin' | 'connection_limit' | 'ip_connection_limit';

export interface UpgradeRefusal {
  readonly code: RefusalCode;
  readonly status: 403 | 429 | 503;
  readonly reason: string;
}

export class AdmissionPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;

  constructor(
    private readonly cfg: AdmissionConfig,
    private readonly connections: ConnectionCounts,
    /** True once the tracker is shutting down. */
    private readonly closing: () => boolean,
  ) {
    this.anyOrigin = cfg.allowedOrigins.length === 0 || cfg.allowedOrigins.includes('*');
    this.origins = new Set(cfg.allowedOrigins);
  }

  /** Why this upgrade is refused, or undefined when it may go ahead. */
  check(info: UpgradeInfo): UpgradeRefusal | undefined {
    if (this.closing()) return { code: 'shutting_down', status: 503, reason: 'tracker is shutting down' };
    if (!this.anyOrigin && (info.origin === undefined || !this.origins.has(info.origin)))
      return { code: 'origin', status: 403, reason: 'origin not allowed' };
    if (this.connections.size >= this.cfg.maxConnections) return { code: 'connection_limit', status: 503, reason: 'too many connections' };
    if (this.connections.fromIp(info.ip) >= this.cfg.maxConnectionsPerIp)
      return { code: 'ip_connection_limit', status: 429, reason: 'too many connections from this address' };
    return undefined;
  }
}

/** The join token a client may put in the WebSocket URL (/announce?token=...). */
export function urlToken(url: string): string | undefined {
  const q = url.indexOf('?');
  return q < 0 ? undefined : (new URLSearchParams(url.slice(q + 1)).get('token') ?? undefined);
}

export interface UpgradeDeps<C extends WsConnection> {
  readonly policy: AdmissionPolicy;
  readonly counters: Counters;
  clientAddress: (req: IncomingMessage) => string;
  /** Builds an admitted connection and registers it (before any bytes from the client are read). */
  open(socket: Socket, info: UpgradeInfo): C;
}

/** The HTTP server's 'upgrade' listener: admission, then the handshake. */
export function upgradeHandler<C extends WsConnection>(deps: UpgradeDeps<C>): (req: IncomingMessage, socket: Socket, head: Buffer) => void {
  const admit = (info: UpgradeInfo): Admission<C> => {
    const refusal = deps.policy.check(info);
    if (refusal === undefined) return { ok: true, create: (socket) => deps.open(socket, info) };
    deps.counters.reject(refusal.code);
    return { ok: false, status: refusal.status, reason: refusal.reason };
  };
  const options = { clientAddress: deps.clientAddress, admit };
  return (req, socket, head) => {
    if (acceptUpgrade(req, socket, head, options) !== undefined) deps.counters.connectionsOpened++;
  };
}
