// bittorrent-tracker's own WebSocket client, unchanged, against Shoal's tracker: two Node peers
// (real WebRTC through @roamhq/wrtc) find each other and open a data channel; scrape, update,
// stop and a `failure reason` reach the client as it expects them.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { mintJoinToken, startTracker, type RunningTracker } from '../src/index.js';
import { loadClient, once, type ClientCtor, type DataPeer, type TrackerClient } from './bt-client.js';

const hex = () => randomBytes(20).toString('hex');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tracker(opts: Parameters<typeof startTracker>[0] = {}): Promise<RunningTracker> {
  const t = await startTracker({ logLevel: 'silent', ...opts });
  cleanups.push(() => t.close());
  return t;
}

function client(Client: ClientCtor, infoHash: string, url: string, extra: Record<string, unknown> = {}): TrackerClient {
  const c = new Client({ infoHash, peerId: hex(), announce: [url], port: 1, rtcConfig: { iceServers: [] }, ...extra });
  c.on('error', () => undefined);
  cleanups.push(() => new Promise<void>((r) => c.destroy(() => r())));
  return c;
}

describe('bittorrent-tracker client interop', () => {
  it('two peers connect over a WebRTC data channel through Shoal', async () => {
    const Client = await loadClient();
    const t = await tracker();
    const infoHash = hex();
    // Different paths: separate WebSockets (the client pools sockets by URL).
    const a = client(Client, infoHash, `${t.wsUrl}/a`);
    const b = client(Client, infoHash, `${t.wsUrl}/announce`);
    const warnings: string[] = [];
    for (const c of [a, b]) c.on('warning', (e) => warnings.push(e.message));

    const connected = (c: TrackerClient) =>
      once<DataPeer>((done) => c.on('peer', (p) => p.on('connect', () => done(p))), 15_000, 'peer connect');
    const updateA = once<{ complete: number; incomplete: number }>((done) => a.on('update', done), 5000, 'update');
    a.start();
    expect((await updateA).incomplete).toBe(1);
    const pa = connected(a);
    const pb = connected(b);
    b.start();
    const [peerA, peerB] = await Promise.all([pa, pb]);
    const got = once<Uint8Array>((done) => peerB.on('data', done), 5000, 'data');
    peerA.send('hello over webrtc');
    expect(Buffer.from(await got).toString()).toBe('hello over webrtc');
    expect(warnings).toEqual([]);

    const stats = t.stats().tracker;
    expect(stats.swarms).toBe(1);
    expect(stats.peers).toBe(2);
    expect(stats.offersRelayed).toBeGreaterThanOrEqual(1);
    expect(stats.answersRelayed).toBeGreaterThanOrEqual(1);

    const scrape = once<{ complete: number; incomplete: number }>((done) => b.on('scrape', done), 5000, 'scrape');
    b.scrape();
    expect((await scrape).incomplete).toBe(2);

    a.stop();
    await expect.poll(() => t.stats().tracker.peers, { timeout: 5000 }).toBe(1);
  }, 30_000);

  it('the client receives failure reasons as warnings, and joins with a token in the URL', async () => {
    const Client = await loadClient();
    const secret = 'interop-secret-0123456789';
    const t = await tracker({ tokenSecrets: [secret] });
    const infoHash = hex();
    const denied = client(Client, infoHash, `${t.wsUrl}/no-token`);
    const warning = once<Error>((done) => denied.on('warning', done), 5000, 'warning');
    denied.start();
    expect((await warning).message).toMatch(/join token required/);

    const token = mintJoinToken({ secret, infoHash, expiresAt: Math.floor(Date.now() / 1000) + 60 });
    const allowed = client(Client, infoHash, `${t.wsUrl}/announce?token=${token}`);
    const update = once<{ incomplete: number }>((done) => allowed.on('update', done), 5000, 'update');
    allowed.start();
    expect((await update).incomplete).toBe(1);
  }, 20_000);
});
