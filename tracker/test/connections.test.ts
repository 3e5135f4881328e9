import { describe, expect, it } from 'vitest';
import { ConnectionTable } from '../src/server/connections.js';
import { fakeClient } from './fake-outbox.js';

describe('connection table', () => {
  it('finds a connection by id and counts connections per address until they are removed', () => {
    const table = new ConnectionTable();
    const a1 = fakeClient(10, '10.0.0.1');
    const a2 = fakeClient(10, '10.0.0.1');
    const b = fakeClient(10, '10.0.0.2');
    for (const c of [a1, a2, b]) table.add(c);
    expect(table.size).toBe(3);
    expect(table.get(a2.id)).toBe(a2);
    expect(table.fromIp('10.0.0.1')).toBe(2);
    expect(table.fromIp('10.0.0.3')).toBe(0);
    expect([...table.outboxes()]).toEqual([a1.outbox, a2.outbox, b.outbox]);

    expect(table.remove(a1.id)).toBe(a1);
    expect(table.get(a1.id)).toBeUndefined();
    expect(table.fromIp('10.0.0.1')).toBe(1);
    table.remove(a2.id);
    expect(table.fromIp('10.0.0.1')).toBe(0);
    expect(table.size).toBe(1);
  });

  it('removing twice changes nothing the second time (a close reported twice does not free a slot)', () => {
    const table = new ConnectionTable();
    const a = fakeClient(10, '10.0.0.1');
    const b = fakeClient(10, '10.0.0.1');
    table.add(a);
    table.add(b);
    expect(table.remove(a.id)).toBe(a);
    expect(table.remove(a.id)).toBeUndefined();
    expect(table.fromIp('10.0.0.1')).toBe(1);
    expect(table.size).toBe(1);
  });

  it('refuses the same connection twice', () => {
    const table = new ConnectionTable();
    const a = fakeClient();
    table.add(a);
    expect(() => table.add(a)).toThrow(/already in the table/);
    expect(table.fromIp(a.ip)).toBe(1);
  });

  it('lets connections be removed while walking the outboxes (the sweep cuts some as it goes)', () => {
    const table = new ConnectionTable();
    const clients = [fakeClient(), fakeClient(), fakeClient()];
    for (const c of clients) table.add(c);
    const seen = [];
    for (const o of table.outboxes()) {
      seen.push(o);
      table.remove(o.id);
    }
    expect(seen).toEqual(clients.map((c) => c.outbox));
    expect(table.size).toBe(0);
  });
});
