/**
 * The HTTP -> WebSocket handshake (RFC 6455 section 4.2). The caller's gate decides admission
 * (origin, limits) before any WebSocket state is created; refusals are plain HTTP responses.
 * The 101 response itself is ws's (WebSocketServer.handleUpgrade).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { ignoreError, type WsConnection } from './connection.js';

const KEY_RE = /^[A-Za-z0-9+/]{22}==$/;

export interface UpgradeInfo {
  readonly ip: string;
  readonly origin: string | undefined;
  /** Path and query of the request, e.g. /announce?token=... */
  readonly url: string;
}

export type Admission<C extends WsConnection> =
  | { readonly ok: true; create(ws: WebSocket, socket: Socket): C }
  | { readonly ok: false; readonly status: number; readonly reason: string };

export interface UpgradeOptions<C extends WsConnection> {
  readonly trustProxy: boolean;
  /** Made with wsOptions(limits): every connection's parser gets the same bounds. */
  readonly wss: WebSocketServer;
  /** Decides admission; on success returns how to build the connection. */
  admit(info: UpgradeInfo): Admission<C>;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** The client address, IPv4-mapped IPv6 reduced to plain IPv4. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first.replace(/^::ffff:/, '');
  }
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

export function refuse(socket: Socket, status: number, reason: string, extra = ''): void {
  const body = JSON.stringify({ error: reason });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}

export function acceptUpgrade<C extends WsConnection>(req: IncomingMessage, socket: Socket, head: Buffer, opts: UpgradeOptions<C>): C | undefined {
  socket.on('error', ignoreError);
  const key = req.headers['sec-websocket-key'];
  if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket' || typeof key !== 'string' || !KEY_RE.test(key)) {
    refuse(socket, 400, 'bad WebSocket handshake');
    return undefined;
  }
  if (req.headers['sec-websocket-version'] !== '13') {
    refuse(socket, 426, 'unsupported WebSocket version', 'Sec-WebSocket-Version: 13\r\n');
    return undefined;
  }
  const ip = clientIp(req, opts.trustProxy);
  const origin = req.headers.origin;
  const admission = opts.admit({ ip, origin, url: req.url ?? '/' });
  if (!admission.ok) {
    refuse(socket, admission.status, admission.reason);
    return undefined;
  }
  // Without verifyClient, ws completes the upgrade synchronously (or destroys a dead socket).
  let conn: C | undefined;
  opts.wss.handleUpgrade(req, socket, head, (ws) => {
    conn = admission.create(ws, socket);
  });
  return conn;
}
