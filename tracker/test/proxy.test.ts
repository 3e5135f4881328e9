// Client addresses behind reverse proxies: X-Forwarded-For read from the right past trusted
// proxies (pure), and a real nginx configured as the README says in front of a tracker, with
// clients that forge the header.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ClientAddress, parseProxyEntry } from '../src/http/client-address.js';
import { ConfigError, resolveConfig } from '../src/index.js';
import { binId, hexOf, onCleanup, TestClient, tracker } from './helpers.js';
import { Nginx } from './nginx-env.js';

describe('client address from X-Forwarded-For', () => {
  const behindLoopback = new ClientAddress(true, ['127.0.0.0/8', '::1/128']);

  it('takes the rightmost entry that is not a trusted proxy, never what the client wrote before it', () => {
    // nginx appends the address it saw after whatever the client sent.
    expect(behindLoopback.resolve('127.0.0.1', '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(behindLoopback.resolve('::ffff:127.0.0.1', ['10.9.9.9', '203.0.113.7, 127.0.0.2'])).toBe('203.0.113.7');
    const chain = new ClientAddress(true, ['10.0.0.0/8', '::1']);
    expect(chain.resolve('::1', '198.51.100.1, 203.0.113.7, 10.1.2.3, 10.0.0.9')).toBe('203.0.113.7');
    expect(chain.resolve('10.0.0.1', '2001:db8::5')).toBe('2001:db8::5');
  });

  it('ignores the header from a peer that is not a trusted proxy (saying so, once per peer), or when trustProxy is off', () => {
    const warned: string[] = [];
    const addresses = new ClientAddress(true, ['127.0.0.0/8'], (a) => warned.push(a));
    expect(addresses.resolve('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(addresses.resolve('203.0.113.7', '198.51.100.2')).toBe('203.0.113.7');
    expect(warned).toEqual(['203.0.113.7']);
    expect(new ClientAddress(false, ['127.0.0.0/8']).resolve('127.0.0.1', '198.51.100.1')).toBe('127.0.0.1');
    expect(behindLoopback.resolve('::ffff:203.0.113.7', undefined)).toBe('203.0.113.7');
  });

  it('stops at the last trusted hop when a trusted proxy passed on garbage, or all hops are trusted', () => {
    expect(behindLoopback.resolve('127.0.0.1', 'not-an-ip')).toBe('127.0.0.1');
    expect(behindLoopback.resolve('127.0.0.1', '203.0.113.7, , 127.0.0.3')).toBe('127.0.0.3');
    expect(behindLoopback.resolve('127.0.0.1', '127.0.0.2')).toBe('127.0.0.2');
  });

  it('checks trustedProxies entries in the config', () => {
    expect(parseProxyEntry('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseProxyEntry('fd00::/8')?.family).toBe('ipv6');
    for (const bad of ['10.0.0.0/33', 'nginx', '10.0.0.1/8/1', '::1/129', '1.2.3.4/x']) expect(parseProxyEntry(bad)).toBeUndefined();
    expect(resolveConfig({ cli: { trustedProxies: '10.0.0.5, 192.168.0.0/16' } }).trustedProxies).toEqual(['10.0.0.5', '192.168.0.0/16']);
    expect(() => resolveConfig({ cli: { trustedProxies: 'proxy.internal' } })).toThrow(ConfigError);
    expect(() => resolveConfig({ cli: { trustedProxies: 'proxy.internal' } })).toThrow(
      /trustedProxies: "proxy.internal" is not an address or CIDR/,
    );
  });
});

/** POST through nginx from a chosen loopback source address (Node's fetch cannot pick one). */
function postFrom(
  localAddress: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; code: unknown }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers },
        timeout: 3000,
      },
      (res) => {
        let out = '';
        res.on('data', (d: Buffer) => (out += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: out ? (JSON.parse(out) as { code?: unknown }).code : undefined }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('POST timed out')));
    req.on('error', reject);
    req.end(text);
  });
}

describe('behind a real nginx configured as the README says', () => {
  // nginx reaches the tracker from 127.0.0.1; clients come from other loopback addresses.
  const proxied = async (max: number) => {
    const t = await tracker({ trustProxy: true, trustedProxies: ['127.0.0.1'], maxConnectionsPerIp: max });
    const nginx = await Nginx.start(t.port);
    onCleanup(() => nginx.stop());
    return { t, nginx };
  };

  it('counts connections from one address against its limit whatever X-Forwarded-For it writes', async () => {
    const { nginx } = await proxied(20);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      const forged = `10.${i}.0.1, 198.51.100.${i}`;
      try {
        await TestClient.open(nginx.wsUrl, { localAddress: '127.0.0.5', headers: { 'X-Forwarded-For': forged } });
        accepted++;
      } catch (err) {
        expect(String(err)).toContain('HTTP 429');
        refused++;
      }
    }
    expect([accepted, refused]).toEqual([20, 20]);
    // Another address still gets in.
    await TestClient.open(nginx.wsUrl, { localAddress: '127.0.0.6' });
  });

  it("refuses a stats report for another viewer sent with that viewer's address forged", async () => {
    const { nginx } = await proxied(100);
    const victim = await TestClient.open(nginx.wsUrl, { localAddress: '127.0.0.6' });
    const swarm = binId();
    const peerId = binId();
    await victim.join(swarm, peerId);
    const report = {
      v: 1,
      swarm: hexOf(swarm),
      peerId: hexOf(peerId),
      httpBytes: 1000,
      p2pBytes: 3000,
      uploadBytes: 0,
      rejectedBytes: 0,
      peers: 1,
      stalls: 0,
      stallMs: 0,
      playingMs: 1000,
    };
    const forged = await postFrom('127.0.0.5', `${nginx.httpUrl}/stats`, { ...report, final: true }, { 'X-Forwarded-For': '127.0.0.6' });
    expect(forged).toEqual({ status: 403, code: 'ip_mismatch' });
    expect((await postFrom('127.0.0.6', `${nginx.httpUrl}/stats`, { ...report, final: false }, {})).status).toBe(204);
  });
});
