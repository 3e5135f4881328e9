// Three tracker nodes sharing swarms through a real redis-server: two in this process, one a
// child process (the CLI with --redis) so it can crash for real. Peers on different nodes find
// each other and connect over WebRTC; the single-node safety rules hold across nodes; a crashed
// node loses only its own peers; a Redis restart is survived; stats add up across nodes.
// Short intervals (membership TTL 1.5 s, refreshed every 0.5 s) keep the whole file fast.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracker, type RunningTracker, type StartOptions } from '../src/index.js';
import { loadClient, once, type DataPeer, type TrackerClient } from './bt-client.js';
import { cliFlags, joined, swarmSizeBecomes, type Joined } from './cluster-clients.js';
import { freePort, getJson, killProcess, RedisServer, startCli, type CliProcess } from './cluster-env.js';
import { binId, hexOf, isAnswer, isFailure, isOffer, isReply, offers, TestClient, type Msg } from './helpers.js';

const TTL_MS = 1500;
let redis: RedisServer;
let n1: RunningTracker;
let n2: RunningTracker;
let n3: CliProcess;

const nodeOptions = (nodeId: string): StartOptions => ({
  logLevel: 'silent',
  nodeId,
  intervalSec: 5,
  minIntervalSec: 1,
  clusterPeerTtlMs: TTL_MS,
  maxPeersPerSwarm: 3,
  statsIntervalMs: 500,
});

beforeAll(async () => {
  redis = await RedisServer.start();
  [n1, n2, n3] = await Promise.all([
    startTracker({ ...nodeOptions('n1'), redis: redis.url }),
    startTracker({ ...nodeOptions('n2'), redis: redis.url }),
    startCli(['--redis', redis.url, ...cliFlags(nodeOptions('n3'))]),
  ]);
}, 30_000);

afterAll(async () => {
  await Promise.allSettled([n1?.close(), n2?.close(), killProcess(n3?.proc, 'SIGTERM')]);
  await killProcess(n3?.proc);
  await redis?.down();
}, 20_000);

/** One peer on each node, all in swarm `ih`. */
async function joinedOnEveryNode(ih: string): Promise<[Joined, Joined, Joined]> {
  return [await joined(n1.wsUrl, ih), await joined(n2.wsUrl, ih), await joined(n3.wsUrl, ih)];
}

const offerFrom = (peerId: string) => (m: Msg) => isOffer(m) && m.peer_id === peerId;

interface Health {
  status: string;
  cluster?: { nodeId: string; redis: string };
}

describe('tracker cluster on Redis', () => {
  it('peers announced to different nodes find each other and connect over WebRTC', async () => {
    const Client = await loadClient();
    const infoHash = randomBytes(20).toString('hex');
    const clients: TrackerClient[] = [];
    const client = (url: string) => {
      const c = new Client({ infoHash, peerId: randomBytes(20).toString('hex'), announce: [url], port: 1, rtcConfig: { iceServers: [] } });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    };
    try {
      const a = client(n1.wsUrl);
      const b = client(n2.wsUrl);
      const connected = (c: TrackerClient) =>
        once<DataPeer>((done) => c.on('peer', (p) => p.on('connect', () => done(p))), 15_000, 'peer connect');
      const updateA = once<{ incomplete: number }>((done) => a.on('update', done), 5000, 'update');
      a.start();
      expect((await updateA).incomplete).toBe(1);
      const [pa, pb] = [connected(a), connected(b)];
      const updateB = once<{ incomplete: number }>((done) => b.on('update', done), 5000, 'update');
      b.start();
      // The reply counts the swarm across nodes: b on n2 sees a on n1.
      expect((await updateB).incomplete).toBe(2);
      const [peerA, peerB] = await Promise.all([pa, pb]);
      const got = once<Uint8Array>((done) => peerB.on('data', done), 5000, 'data');
      peerA.send('across two tracker nodes');
      expect(Buffer.from(await got).toString()).toBe('across two tracker nodes');
      // n2 relayed b's offer to n1 and n1's answer came back: both nodes did cross-node relays.
      const h1 = await getJson<{ cluster: { relayed: { sent: number; received: number } } }>(`${n1.httpUrl}/health`);
      expect(h1.cluster.relayed.sent + h1.cluster.relayed.received).toBeGreaterThan(0);
    } finally {
      await Promise.all(clients.map((c) => new Promise<void>((r) => c.destroy(() => r()))));
    }
  }, 30_000);

  it('answer matching, peer_id binding and the swarm limit hold across nodes', async () => {
    const ih = binId();
    const a = await joined(n1.wsUrl, ih);
    const b = await joined(n2.wsUrl, ih);
    const [o] = offers(1);
    a.announce(ih, a.peerId, { offers: [o], numwant: 1 });
    const relayed = await b.next(offerFrom(a.peerId));
    expect(relayed.offer_id).toBe(o!.offer_id);

    // Mallory on a third node answers the offer b received: refused, a hears nothing.
    const mallory = await joined(n3.wsUrl, ih);
    mallory.send({
      action: 'announce',
      info_hash: ih,
      peer_id: mallory.peerId,
      to_peer_id: a.peerId,
      offer_id: o!.offer_id,
      answer: { type: 'answer', sdp: 'v=0 spoof' },
    });
    expect((await mallory.next(isFailure))['failure reason']).toMatch(/does not match an offer relayed to this peer/);
    // Mallory claims b's peer_id on n1 (b's socket is on n2): refused.
    const impostor = await TestClient.open(n1.wsUrl);
    expect((await impostor.join(ih, b.peerId))['failure reason']).toBe('peer_id is in use by another connection');
    expect(await a.none(isAnswer, 300)).toBe(true);

    // b's real answer reaches a on the other node.
    b.send({
      action: 'announce',
      info_hash: ih,
      peer_id: b.peerId,
      to_peer_id: a.peerId,
      offer_id: o!.offer_id,
      answer: { type: 'answer', sdp: 'v=0 real' },
    });
    const answer = await a.next(isAnswer);
    expect(answer.peer_id).toBe(b.peerId);
    expect((answer.answer as { sdp: string }).sdp).toBe('v=0 real');

    // Three peers on three nodes fill the swarm (max 3): a fourth on n1 is refused, though n1 holds one.
    const late = await TestClient.open(n1.wsUrl);
    expect((await late.join(ih, binId()))['failure reason']).toMatch(/swarm is full/);
  }, 20_000);

  it("a peer_id taken over on the offerer's node after it left gets no answer to the old offers", async () => {
    const ih = binId();
    const a = await joined(n1.wsUrl, ih);
    const b = await joined(n2.wsUrl, ih);
    const [o] = offers(1);
    a.announce(ih, a.peerId, { offers: [o], numwant: 1 });
    await b.next(offerFrom(a.peerId));
    a.ws.close();
    await a.closed;
    // Mallory takes a's peer_id on n1 (free again there) and waits for b's answer to a's offer.
    const mallory = Object.assign(await TestClient.open(n1.wsUrl), { peerId: a.peerId });
    await expect.poll(async () => isReply(await mallory.join(ih, a.peerId)), { timeout: 3000, interval: 100 }).toBe(true);
    const dropped = n1.cluster!.health().relayed.dropped;
    b.send({
      action: 'announce',
      info_hash: ih,
      peer_id: b.peerId,
      to_peer_id: a.peerId,
      offer_id: o!.offer_id,
      answer: { type: 'answer', sdp: 'v=0 for a' },
    });
    await expect.poll(() => n1.cluster!.health().relayed.dropped, { timeout: 3000, interval: 50 }).toBe(dropped + 1);
    expect(await mallory.none(isAnswer, 300)).toBe(true);
  }, 20_000);

  it('a peer announcing again is introduced first to members it has not met, on any node', async () => {
    const ih = binId();
    const [a, b, c] = await joinedOnEveryNode(ih);
    // Two announces of one offer each: by chance alone, both would reach the same peer half the time.
    for (let round = 0; round < 2; round++) {
      a.announce(ih, a.peerId, { offers: offers(1), numwant: 1 });
      await a.next(isReply);
    }
    await b.next(offerFrom(a.peerId));
    await c.next(offerFrom(a.peerId));
  }, 20_000);

  it('the stats API and dashboard data cover every node', async () => {
    const ih = binId();
    const a = await joined(n1.wsUrl, ih);
    const c = await joined(n3.wsUrl, ih);
    const report = (peerId: string, httpBytes: number, p2pBytes: number) =>
      JSON.stringify({
        v: 1,
        swarm: hexOf(ih),
        peerId: hexOf(peerId),
        httpBytes,
        p2pBytes,
        uploadBytes: 0,
        rejectedBytes: 0,
        peers: 1,
        stalls: 0,
        stallMs: 0,
        playingMs: 1000,
      });
    const post = (url: string, body: string) =>
      fetch(`${url}/stats`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body, signal: AbortSignal.timeout(3000) });
    expect((await post(n1.httpUrl, report(a.peerId, 1000, 3000))).status).toBe(204);
    expect((await post(n3.httpUrl, report(c.peerId, 500, 1500))).status).toBe(204);
    type Stats = {
      overall: { httpBytes: number; p2pBytes: number };
      swarms: { swarm: string; viewers: number }[];
      cluster: { nodes: { node: string }[]; redis: string };
    };
    // n2 holds neither peer, and still reports both (snapshots are refreshed every ttl/3).
    await expect
      .poll(
        async () => {
          const s = await getJson<Stats>(`${n2.httpUrl}/api/stats`);
          const swarm = s.swarms.find((w) => w.swarm === hexOf(ih));
          return {
            nodes: s.cluster.nodes.map((n) => n.node),
            redis: s.cluster.redis,
            viewers: swarm?.viewers,
            p2p: s.overall.p2pBytes >= 4500,
          };
        },
        { timeout: 5000, interval: 200 },
      )
      .toEqual({ nodes: ['n1', 'n2', 'n3'], redis: 'up', viewers: 2, p2p: true });
    // /metrics stays per node: n2 counted no report.
    const metrics = await (await fetch(`${n2.httpUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/shoal_tracker_stats_reports_total\{result="accepted"\}/);
    expect(metrics).toMatch(/shoal_tracker_cluster_redis_up 1/);
  }, 20_000);

  it('a crashed node loses only its own peers; theirs expire from the membership', async () => {
    const ih = binId();
    const [a, b, c] = await joinedOnEveryNode(ih);
    a.announce(ih, a.peerId, { offers: offers(2), numwant: 2 });
    await Promise.all([b.next(offerFrom(a.peerId)), c.next(offerFrom(a.peerId))]);

    await killProcess(n3.proc); // SIGKILL: no goodbye to Redis
    expect((await c.closed).code).not.toBe(1001);
    // a and b stay connected and keep talking through n1 and n2.
    a.announce(ih, a.peerId, { offers: offers(2), numwant: 2 });
    await b.next(offerFrom(a.peerId));
    // c disappears from the swarm once its entry expires (ttl after n3's last refresh).
    await swarmSizeBecomes(a, ih, 2, 0, TTL_MS * 4);
    type Stats = { cluster: { nodes: { node: string }[] } };
    await expect.poll(async () => (await getJson<Stats>(`${n1.httpUrl}/api/stats`)).cluster.nodes.length, { timeout: TTL_MS * 4 }).toBe(2);
    expect(b.ws.readyState).toBe(b.ws.OPEN);
  }, 20_000);

  it('survives a Redis restart: degraded in /health, local peers still served, cluster again after', async () => {
    const ih = binId();
    const a = await joined(n1.wsUrl, ih);
    await redis.down();
    await expect.poll(async () => (await getJson<Health>(`${n1.httpUrl}/health`)).status, { timeout: 5000 }).toBe('degraded');
    const health = await fetch(`${n2.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as Health).cluster?.redis).toBe('down');

    // Without Redis, peers on one node still find each other, promptly.
    const p = await joined(n2.wsUrl, ih);
    const q = await joined(n2.wsUrl, ih);
    q.announce(ih, q.peerId, { offers: offers(1), numwant: 1 });
    await p.next(offerFrom(q.peerId));

    await redis.up(); // empty, as after a crash: the nodes re-register their peers
    await expect.poll(async () => (await getJson<Health>(`${n1.httpUrl}/health`)).status, { timeout: 8000, interval: 200 }).toBe('ok');
    await expect.poll(async () => (await getJson<Health>(`${n2.httpUrl}/health`)).status, { timeout: 8000, interval: 200 }).toBe('ok');
    // a (joined on n1 before the restart) is found from n2 again.
    await swarmSizeBecomes(q, ih, 3, 2);
    await a.next(offerFrom(q.peerId), 3000);
  }, 40_000);

  it('a node started while Redis is down serves locally, then joins the cluster when Redis comes', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const [n4, n5] = await Promise.all([
      startTracker({ ...nodeOptions('n4'), redis: url }),
      startTracker({ ...nodeOptions('n5'), redis: url }),
    ]);
    let late: RedisServer | undefined;
    try {
      expect((await getJson<Health>(`${n4.httpUrl}/health`)).status).toBe('degraded');
      const ih = binId();
      const a = await joined(n4.wsUrl, ih);
      late = await RedisServer.start(port);
      await expect.poll(async () => (await getJson<Health>(`${n5.httpUrl}/health`)).status, { timeout: 8000, interval: 200 }).toBe('ok');
      await expect.poll(async () => (await getJson<Health>(`${n4.httpUrl}/health`)).status, { timeout: 8000, interval: 200 }).toBe('ok');
      // a, which joined n4 before Redis existed, is registered and found from n5.
      const b = await joined(n5.wsUrl, ih);
      await swarmSizeBecomes(b, ih, 2, 1);
      await a.next(offerFrom(b.peerId), 3000);
    } finally {
      await Promise.allSettled([n4.close(), n5.close()]);
      await late?.down();
    }
  }, 30_000);
});
