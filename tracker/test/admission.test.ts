import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/fields.js';
import { AdmissionPolicy, upgradeHandler, urlToken, type AdmissionConfig } from '../src/server/admission.js';
import { ConnectionTable } from '../src/server/connections.js';
import { Client } from '../src/swarm/client.js';
import { Counters } from '../src/swarm/counters.js';
import { WsConnection, type WsContext } from '../src/ws/connection.js';
import { memorySocket, upgradeRequest } from './fake-conn.js';
import { fakeClient } from './fake-outbox.js';
import { onCleanup } from './helpers.js';

const LIMITS: AdmissionConfig = { allowedOrigins: [], maxConnections: 3, maxConnectionsPerIp: 2 };
const info = (ip: string, origin?: string, url = '/') => ({ ip, origin, url });

function policy(cfg: Partial<AdmissionConfig> = {}, closing = false) {
  const table = new ConnectionTable();
  const state = { closing };
  return { table, state, policy: new AdmissionPolicy({ ...LIMITS, ...cfg }, table, () => state.closing) };
}

describe('admission', () => {
  it('admits up to maxConnectionsPerIp from one address, then refuses it with 429 while others still get in', () => {
    const { table, policy: p } = policy();
    expect(p.check(info('10.0.0.1'))).toBeUndefined();
    table.add(fakeClient(10, '10.0.0.1'));
    table.add(fakeClient(10, '10.0.0.1'));
    expect(p.check(info('10.0.0.1'))).toEqual({
      code: 'ip_connection_limit',
      status: 429,
      reason: 'too many connections from this address',
    });
    expect(p.check(info('10.0.0.2'))).toBeUndefined();
  });

  it('refuses everyone with 503 at maxConnections, and admits again once a connection is gone', () => {
    const { table, policy: p } = policy();
    const clients = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((ip) => fakeClient(10, ip));
    for (const c of clients) table.add(c);
    expect(p.check(info('10.0.0.4'))?.code).toBe('connection_limit');
    expect(p.check(info('10.0.0.4'))?.status).toBe(503);
    table.remove(clients[0]!.id);
    expect(p.check(info('10.0.0.4'))).toBeUndefined();
  });

  it('with allowedOrigins, admits only those origins (and no request without an Origin)', () => {
    const { policy: p } = policy({ allowedOrigins: ['https://a.example'] });
    expect(p.check(info('10.0.0.1', 'https://a.example'))).toBeUndefined();
    expect(p.check(info('10.0.0.1', 'https://evil.example'))).toEqual({ code: 'origin', status: 403, reason: 'origin not allowed' });
    expect(p.check(info('10.0.0.1'))?.code).toBe('origin');
  });

  it('with no allowedOrigins or "*", any Origin (or none) is fine', () => {
    for (const allowedOrigins of [[], ['*'], ['https://a.example', '*']]) {
      const { policy: p } = policy({ allowedOrigins });
      expect(p.check(info('10.0.0.1', 'https://anything.example'))).toBeUndefined();
      expect(p.check(info('10.0.0.1'))).toBeUndefined();
    }
  });

  it('refuses newcomers with 503 once shutting down, before any other check', () => {
    const { state, policy: p } = policy({ allowedOrigins: ['https://a.example'] });
    state.closing = true;
    expect(p.check(info('10.0.0.1', 'https://evil.example'))).toEqual({
      code: 'shutting_down',
      status: 503,
      reason: 'tracker is shutting down',
    });
  });

  it('reads the join token from the WebSocket URL', () => {
    expect(urlToken('/announce?token=abc.def')).toBe('abc.def');
    expect(urlToken('/?x=1&token=t%2Bu')).toBe('t+u');
    expect(urlToken('/announce')).toBeUndefined();
    expect(urlToken('/announce?tok=1')).toBeUndefined();
  });
});

describe('upgrade handler', () => {
  const ctxFor = (table: ConnectionTable<WsConnection>, delivered: [number | undefined, string][]): WsContext => ({
    ...defaultConfig(),
    onMessage: (ws, text) => delivered.push([table.get(ws.id)?.id, text]),
    onClose: (ws) => void table.remove(ws.id),
    onViolation: () => undefined,
  });

  function handler(cfg: Partial<AdmissionConfig> = {}) {
    const table = new ConnectionTable<WsConnection>();
    const counters = new Counters();
    const delivered: [number | undefined, string][] = [];
    const ctx = ctxFor(table, delivered);
    const onUpgrade = upgradeHandler({
      policy: new AdmissionPolicy({ ...LIMITS, ...cfg }, table, () => false),
      counters,
      clientAddress: () => '10.0.0.1',
      open: (socket, request) => {
        const ws = new WsConnection(socket, request.ip, ctx);
        table.add(new Client(ws, urlToken(request.url), 10, ws.lastSeen));
        return ws;
      },
    });
    const upgrade = (head = Buffer.alloc(0), url = '/', headers: Record<string, string> = {}) => {
      const { socket, written } = memorySocket();
      onCleanup(() => socket.destroy());
      onUpgrade(upgradeRequest(socket, url, headers), socket, head);
      return Buffer.concat(written).toString('latin1');
    };
    return { table, counters, delivered, upgrade };
  }

  it('registers the connection before reading bytes that came with the handshake: their message reaches its client', () => {
    const { table, counters, delivered, upgrade } = handler();
    // A masked text frame "hi" (zero mask) in the same read as the upgrade request.
    const reply = upgrade(Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0x68, 0x69]), '/announce?token=t1');
    expect(reply).toMatch(/^HTTP\/1.1 101 /);
    expect(table.size).toBe(1);
    const client = table.get([...table.outboxes()][0]!.id)!;
    expect(client.urlToken).toBe('t1');
    expect(delivered).toEqual([[client.id, 'hi']]);
    expect(counters.connectionsOpened).toBe(1);
  });

  it('answers a refusal with its HTTP status, counts it by code and builds nothing', () => {
    const { table, counters, upgrade } = handler({ allowedOrigins: ['https://a.example'] });
    expect(upgrade(Buffer.alloc(0), '/', { origin: 'https://evil.example' })).toMatch(
      /^HTTP\/1.1 403 Forbidden\r\n[^]*"origin not allowed"/,
    );
    expect(table.size).toBe(0);
    expect(counters.connectionsOpened).toBe(0);
    expect(counters.rejections.get('origin')).toBe(1);
  });
});
