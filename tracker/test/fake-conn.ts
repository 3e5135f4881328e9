/**
 * A WebSocket connection over an in-memory socket, made by the real upgrade path (acceptUpgrade), for property tests that feed it client bytes synchronously. No vitest here:
 * the long fuzz runner (npm run fuzz) uses it too. (Swarm tests need no socket: fake-outbox.ts.)
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { WsConnection, type WsContext } from '../src/ws/connection.js';
import { acceptUpgrade } from '../src/ws/upgrade.js';

export interface FakeConn {
  readonly conn: WsConnection;
  /** Delivers bytes from the client, as one socket read. */
  input(chunk: Uint8Array): void;
  /** Everything the server wrote after the handshake. */
  output(): Buffer;
  /** Closes the socket. */
  dispose(): void;
}

/** A socket in memory: what the server writes is kept in `written`. */
export function memorySocket(): { socket: Socket; written: Buffer[] } {
  const written: Buffer[] = [];
  const duplex = new Duplex({
    write: (chunk: Buffer, _encoding, done) => {
      written.push(chunk);
      done();
    },
    read: () => undefined,
  });
  // The TCP options the upgrade sets have nothing to act on in memory.
  const socket = Object.assign(duplex, { setNoDelay: () => duplex, setTimeout: () => duplex }) as unknown as Socket;
  return { socket, written };
}

/** A valid WebSocket upgrade request on that socket. */
export function upgradeRequest(socket: Socket, url = '/', headers: Record<string, string> = {}): IncomingMessage {
  return {
    method: 'GET',
    url,
    headers: {
      upgrade: 'websocket',
      connection: 'Upgrade',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-version': '13',
      ...headers,
    },
    socket,
  } as unknown as IncomingMessage;
}

export function fakeConn(ctx: WsContext): FakeConn {
  const { socket, written } = memorySocket();
  const conn = acceptUpgrade(upgradeRequest(socket), socket, Buffer.alloc(0), {
    clientAddress: () => '127.0.0.1',
    admit: () => ({ ok: true, create: (s) => new WsConnection(s, '127.0.0.1', ctx) }),
  });
  if (conn === undefined) throw new Error('fake upgrade was refused');
  const handshakeChunks = written.length;
  return {
    conn,
    input: (chunk) => void socket.emit('data', Buffer.from(chunk)),
    output: () => Buffer.concat(written.slice(handshakeChunks)),
    dispose: () => socket.destroy(),
  };
}
