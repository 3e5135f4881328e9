/**
 * An in-memory Outbox: what the swarm side sent to one client, and whether it closed it. Swarm
 * tests build clients on it instead of sockets. No vitest here: the long fuzz runner uses it too.
 */
import { Client } from '../src/swarm/client.js';
import type { Outbox } from '../src/swarm/outbox.js';

let lastId = 0;

export class FakeOutbox implements Outbox {
  readonly id = ++lastId;
  /** Every message sent, parsed, in order (none after the close). */
  readonly sent: unknown[] = [];
  closedWith: { readonly code: number; readonly reason: string } | undefined;

  constructor(readonly ip = '127.0.0.1') {}

  send(json: string): void {
    if (this.closedWith === undefined) this.sent.push(JSON.parse(json));
  }

  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
  }
}

/** A client with a full message bucket (`burst` messages), opened at time `openedAt`. */
export function fakeClient(burst = 10, ip?: string, openedAt = 0, urlToken?: string): Client<FakeOutbox> {
  return new Client(new FakeOutbox(ip), urlToken, burst, openedAt);
}
