import { describe, expect, it } from 'vitest';
import { AdmissionPolicy, urlToken, type AdmissionConfig } from '../src/server/admission.js';
import { ConnectionTable } from '../src/server/connections.js';
import { fakeClient } from './fake-outbox.js';

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
    expect(p.check(info('10.0.0.1'))).toEqual({ code: 'ip_connection_limit', status: 429, reason: 'too many connections from this address' });
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
    expect(p.check(info('10.0.0.1', 'https://evil.example'))).toEqual({ code: 'shutting_down', status: 503, reason: 'tracker is shutting down' });
  });

  it('reads the join token from the WebSocket URL', () => {
    expect(urlToken('/announce?token=abc.def')).toBe('abc.def');
    expect(urlToken('/?x=1&token=t%2Bu')).toBe('t+u');
    expect(urlToken('/announce')).toBeUndefined();
    expect(urlToken('/announce?tok=1')).toBeUndefined();
  });
});
