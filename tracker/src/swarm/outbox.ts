/**
 * How the swarm side reaches one client: by id, with a JSON message or a close. Swarm members hold
 * this and never the socket, as aquatic refers to connections by id; the WebSocket connection
 * (ws/connection.ts) is one implementation, tests use an in-memory one.
 */
import type { CloseCode } from '../ws/frame-parser.js';

export interface Outbox {
  /** Unique among this process's connections: what the connection table is keyed by. */
  readonly id: number;
  /** The client's address (after the trusted proxies, see http/client-address.ts). */
  readonly ip: string;
  /** Queues one JSON text message; dropped once the connection is closing. */
  send(json: string): void;
  /** Says goodbye with a close code and a short reason, then ends the connection. */
  close(code: CloseCode, reason: string): void;
}
