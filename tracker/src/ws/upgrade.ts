/**
 * The HTTP -> WebSocket handshake (RFC 6455 section 4.2). The caller's gate decides admission
 * (origin, limits) before any WebSocket state is created; refusals are plain HTTP responses.
 * No subprotocol or extension is negotiated (so no compression, and RSV bits stay errors).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { ignoreError, type WsConnection } from './connection.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const KEY_RE = /^[A-Za-z0-9+/]{22}==$/;

export interface UpgradeInfo {
  readonly ip: string;
  readonly origin: string | undefined;
  /** Path and query of the request, e.g. /announce?token=... */
  readonly url: string;
}

export type Admission<C extends WsConnection> =
  { readonly ok: true; create(socket: Socket): C } | { readonly ok: false; readonly status: number; readonly reason: string };

export interface UpgradeOptions<C extends WsConnection> {
  /** The client's address (see http/client-address.ts). */
  clientAddress(req: IncomingMessage): string;
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

export function refuse(socket: Socket, status: number, reason: string, extra = ''): void {
  const body = JSON.stringify({ error: reason });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}

export function acceptUpgrade<C extends WsConnection>(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  opts: UpgradeOptions<C>,
): C | undefined {
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
  const ip = opts.clientAddress(req);
  const origin = req.headers.origin;
  const admission = opts.admit({ ip, origin, url: req.url ?? '/' });
  if (!admission.ok) {
    refuse(socket, admission.status, admission.reason);
    return undefined;
  }
  if (!socket.writable) {
    socket.destroy();
    return undefined;
  }
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  socket.setNoDelay(true);
  socket.setTimeout(0);
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const conn = admission.create(socket);
  if (head.length > 0) conn.onBytes(Buffer.from(head));
  return conn;
}
