// Who owns a peer_id after an empty Redis restart. While Redis is away each node admits peers on
// its own, so an impostor can take, on node a, the peer_id of a viewer connected to node b. When
// Redis comes back empty, both nodes re-register their peers; the viewer's claim, recorded before
// the outage, must keep its peer_id whichever node refreshes first. The test forces the order
// that used to lose (a first) by emptying Redis again and refreshing the nodes by hand; their
// own refresh runs only every 20 s, so it does not interleave.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracker, type RunningTracker, type StartOptions } from '../src/index.js';
import { getJson, RedisServer } from './cluster-env.js';
import { binId, hexOf, isFailure, isOffer, isReply, offers, TestClient } from './helpers.js';

let redis: RedisServer;
let a: RunningTracker;
let b: RunningTracker;

const nodeOptions = (nodeId: string): StartOptions => ({
  logLevel: 'silent',
  nodeId,
  intervalSec: 60,
  minIntervalSec: 1,
  clusterPeerTtlMs: 60_000,
  redis: redis.url,
});

beforeAll(async () => {
  redis = await RedisServer.start();
  [a, b] = await Promise.all([startTracker(nodeOptions('a')), startTracker(nodeOptions('b'))]);
}, 30_000);

afterAll(async () => {
  await Promise.allSettled([a?.close(), b?.close()]);
  await redis?.down();
}, 20_000);

const status = async (t: RunningTracker) => (await getJson<{ status: string }>(`${t.httpUrl}/health`)).status;

describe('cluster identity after an empty Redis restart', () => {
  it("an impostor admitted during the outage never takes the viewer's peer_id, in either refresh order", async () => {
    const ih = binId();
    const id = binId();
    const viewer = await TestClient.open(b.wsUrl);
    expect(isReply(await viewer.join(ih, id))).toBe(true);

    await redis.down();
    await expect.poll(() => status(a), { timeout: 5000, interval: 100 }).toBe('degraded');
    const impostor = await TestClient.open(a.wsUrl);
    expect(isReply(await impostor.join(ih, id))).toBe(true); // a cannot ask anyone: admitted locally

    await redis.up();
    await expect.poll(() => status(a), { timeout: 8000, interval: 100 }).toBe('ok');
    await expect.poll(() => status(b), { timeout: 8000, interval: 100 }).toBe('ok');
    const r = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    try {
      const ownerKey = `shoal:s:{${hexOf(ih)}}:o`;
      for (const order of [
        [a, b, a],
        [b, a, b],
      ]) {
        await r.flushall(); // empty again, as after another crash
        for (const node of order) await node.cluster!.membership.refresh();
        expect(await r.hget(ownerKey, hexOf(id))).toBe('b');
      }
    } finally {
      r.disconnect();
    }
    // a dropped its impostor and told it so.
    expect((await impostor.next(isFailure))['failure reason']).toBe('peer_id is in use by another connection');
    expect(a.cluster!.membership.ousted).toBe(1);

    // Offers for that peer_id, from a peer on a, reach the viewer on b and never the impostor.
    const c = await TestClient.open(a.wsUrl);
    const cid = binId();
    c.announce(ih, cid, { event: 'started', offers: offers(3), numwant: 3 });
    expect((await viewer.next(isOffer)).peer_id).toBe(cid);
    expect(await impostor.none(isOffer)).toBe(true);
  }, 40_000);
});
