/**
 * The open client connections by id, and how many each address holds (what the per-IP limit is
 * checked against). The WebSocket layer reports events by connection id; this table turns an id
 * into the swarm side's Client.
 */
import type { Client } from '../swarm/client.js';
import type { Outbox } from '../swarm/outbox.js';

export class ConnectionTable<O extends Outbox = Outbox> {
  private readonly byId = new Map<number, Client<O>>();
  private readonly perIp = new Map<string, number>();

  get size(): number {
    return this.byId.size;
  }

  /** Open connections from this address. */
  fromIp(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  add(client: Client<O>): void {
    if (this.byId.has(client.id)) throw new Error(`connection ${client.id} is already in the table`);
    this.byId.set(client.id, client);
    this.perIp.set(client.ip, this.fromIp(client.ip) + 1);
  }

  get(id: number): Client<O> | undefined {
    return this.byId.get(id);
  }

  /** Takes the connection out and returns it (undefined when it was not in, e.g. removed already). */
  remove(id: number): Client<O> | undefined {
    const client = this.byId.get(id);
    if (client === undefined) return undefined;
    this.byId.delete(id);
    const n = this.fromIp(client.ip) - 1;
    if (n <= 0) this.perIp.delete(client.ip);
    else this.perIp.set(client.ip, n);
    return client;
  }

  /** The connections' outboxes (safe to remove connections while iterating). */
  *outboxes(): IterableIterator<O> {
    for (const client of this.byId.values()) yield client.outbox;
  }
}
