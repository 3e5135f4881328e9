// Issue #12 item 7, SDK half: viewers relaying valid WebRTC offers at one viewer (bittorrent-
// tracker's own client, real WebRTC in Node through @roamhq/wrtc, against Shoal's tracker on
// 127.0.0.1) do not make it set up one connection per offer.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackerDirectory } from '@shoal/core';
import { startTracker } from '../src/index.js';
import { loadClient, once, type TrackerClient } from './bt-client.js';

const hex = () => randomBytes(20).toString('hex');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('offer flood at one viewer', () => {
  it('sets up at most maxConnecting connections at once, refuses the other offers unanswered, and still lets an honest viewer in', async () => {
    const tracker = await startTracker({ logLevel: 'silent' });
    cleanups.push(() => tracker.close());
    const infoHash = hex();
    const directory = new TrackerDirectory({
      trackerUrls: [`${tracker.wsUrl}/victim`],
      peerId: hex(),
      rtcConfig: { iceServers: [] },
      maxConnecting: 2,
      setupGraceMs: 1000,
    });
    cleanups.push(() => directory.leave());
    const handedOver: string[] = [];
    directory.join(infoHash, (transport) => handedOver.push(transport.remoteId));
    await expect.poll(() => directory.othersInSwarm(), { timeout: 5000 }).toBe(0);

    // Eight flooders in turn: each announces (its offers reach the victim, the only other member)
    // and leaves, so the victim's answers go nowhere and its connections stay in setup.
    const Client = await loadClient();
    let mostConnecting = 0;
    for (let i = 0; i < 8; i++) {
      const flooder: TrackerClient = new Client({
        infoHash,
        peerId: hex(),
        announce: [`${tracker.wsUrl}/f${i}`],
        port: 1,
        rtcConfig: { iceServers: [] },
      });
      flooder.on('error', () => undefined);
      flooder.on('warning', () => undefined);
      const answered = once((done) => flooder.on('update', done), 5000, 'announce answer');
      flooder.start();
      await answered;
      await expect.poll(() => tracker.stats().tracker.offersRelayed, { timeout: 5000 }).toBeGreaterThanOrEqual(i + 1);
      await new Promise<void>((resolve) => flooder.destroy(() => resolve()));
      mostConnecting = Math.max(mostConnecting, directory.connections.connecting);
    }
    const offersSeen = () => {
      const { connecting, evicted, refused } = directory.connections;
      return connecting + evicted + refused;
    };
    await expect.poll(offersSeen, { timeout: 5000 }).toBe(8);
    expect(mostConnecting).toBeLessThanOrEqual(2);
    expect(directory.connections.refused).toBeGreaterThan(0);

    // An honest viewer after the flood: the flooders' stale setups give way, and it connects.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const honestId = hex();
    const honest: TrackerClient = new Client({
      infoHash,
      peerId: honestId,
      announce: [`${tracker.wsUrl}/honest`],
      port: 1,
      rtcConfig: { iceServers: [] },
    });
    honest.on('error', () => undefined);
    cleanups.push(() => new Promise<void>((resolve) => honest.destroy(() => resolve())));
    honest.start();
    await expect.poll(() => handedOver, { timeout: 15_000 }).toEqual([honestId]);
    expect(directory.connections.open).toBe(1);
  }, 60_000);
});
