// Memory returns after peers leave: a thousand clients join ten swarms, exchange offers and
// answers, and leave; after a full GC the heap is back near where it started.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { binId, heapAfterGc, offers, tracker } from './helpers.js';
import { wsText } from './ws-text.js';

describe('memory', () => {
  it('returns to the baseline after 1000 peers join, signal and leave', async () => {
    const t = await tracker({ statsMemberGraceMs: 0, maxConnectionsPerIp: 10_000, messagesPerSecond: 1000, messageBurst: 1000 });
    const swarms = Array.from({ length: 10 }, binId);
    let answered = 0;
    let connectedHeap = 0;
    // Plain ws clients that nothing keeps a reference to once the round ends.
    const round = async () => {
      answered = 0;
      const clients: WebSocket[] = [];
      const peers: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const ws = new WebSocket(t.wsUrl);
        const peer = binId();
        const swarm = swarms[i % 10]!;
        ws.on('message', (data) => {
          const m = JSON.parse(wsText(data)) as Record<string, unknown>;
          if (m.offer === undefined) return;
          answered++;
          ws.send(
            JSON.stringify({
              action: 'announce',
              info_hash: swarm,
              peer_id: peer,
              to_peer_id: m.peer_id,
              offer_id: m.offer_id,
              answer: { type: 'answer', sdp: 'x'.repeat(500) },
            }),
          );
        });
        clients.push(ws);
        peers.push(peer);
        if (i % 100 === 99) await Promise.all(clients.slice(i - 99).map((w) => new Promise((r) => w.once('open', r))));
      }
      clients.forEach((ws, i) =>
        ws.send(JSON.stringify({ action: 'announce', info_hash: swarms[i % 10], peer_id: peers[i], event: 'started', offers: [] })),
      );
      await expect.poll(() => t.stats().tracker.peers, { timeout: 5000 }).toBe(1000);
      // A hundred of them announce with offers; every offer is answered.
      for (let i = 0; i < 100; i++)
        clients[i]!.send(JSON.stringify({ action: 'announce', info_hash: swarms[i % 10], peer_id: peers[i], offers: offers(3) }));
      const relayed = t.stats().tracker.answersRelayed + 300;
      await expect.poll(() => t.stats().tracker.answersRelayed, { timeout: 5000 }).toBe(relayed);
      expect(answered).toBe(300);
      expect(t.stats().tracker).toMatchObject({ connections: 1000, swarms: 10, peers: 1000 });
      connectedHeap = await heapAfterGc();
      await Promise.all(clients.map((ws) => new Promise((r) => (ws.once('close', r), ws.close()))));
      await expect.poll(() => t.stats().tracker, { timeout: 5000 }).toMatchObject({ connections: 0, swarms: 0, peers: 0 });
    };
    // The first rounds grow the heap with compiled code and warmed caches; after that, rounds
    // leave nothing behind: no growth from round to round.
    const after: number[] = [];
    for (let i = 0; i < 6; i++) {
      await round();
      after.push(await heapAfterGc());
    }
    // Heap readings under a loaded CI machine wander by about a megabyte; a leak of 1 KB per peer
    // would add 3 MB across the last three rounds, and is what this catches.
    const settled = after[2]!;
    expect(Math.min(after[4]!, after[5]!) - settled).toBeLessThan(3 * 1024 * 1024);
    for (const h of after.slice(3)) expect(h - settled).toBeLessThan(4 * 1024 * 1024);
    // While connected, the same peers hold several MB: the check above is not vacuous.
    expect(connectedHeap - settled).toBeGreaterThan(2 * 1024 * 1024);
  }, 60_000);
});
