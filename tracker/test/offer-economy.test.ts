// Issue #11: every offer is an RTCPeerConnection built and gathering ICE before anyone answers,
// so Shoal's directory (real WebRTC in Node through @roamhq/wrtc, against Shoal's tracker on
// 127.0.0.1) makes no more offers than there are members to meet, and refuses others' offers
// before any ICE or DTLS work while the engine holds all the peers it may.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackerDirectory } from '@shoal/core';
import { startTracker } from '../src/index.js';

const hex = () => randomBytes(20).toString('hex');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function viewers(wants: readonly boolean[]) {
  const tracker = await startTracker({ logLevel: 'silent' });
  cleanups.push(() => tracker.close());
  const infoHash = hex();
  return wants.map((wantsPeers, i) => {
    const directory = new TrackerDirectory({ trackerUrls: [`${tracker.wsUrl}/v${i}`], peerId: hex(), rtcConfig: { iceServers: [] } });
    cleanups.push(() => directory.leave());
    const connected: string[] = [];
    const join = () =>
      directory.join(
        infoHash,
        (transport) => connected.push(transport.remoteId),
        () => wantsPeers,
      );
    return { directory, connected, join };
  });
}

describe('offers cost connections', () => {
  it('a viewer alone makes no offer; the next one makes one per member the tracker counts, and they connect', async () => {
    const [a, b] = await viewers([true, true]);
    a!.join();
    await expect.poll(() => a!.directory.othersInSwarm(), { timeout: 5000 }).toBe(0);
    expect(a!.directory.connections.offered).toBe(0); // bittorrent-tracker's default: 5 offers nobody takes
    b!.join();
    await expect.poll(() => [a!.connected.length, b!.connected.length], { timeout: 15_000 }).toEqual([1, 1]);
    expect(b!.directory.connections.offered).toBe(1);
    expect(a!.directory.connections.offered).toBe(0);
  }, 30_000);

  it('refuses an offer unanswered while the engine wants no more peers', async () => {
    const [full, newcomer] = await viewers([false, true]);
    full!.join();
    await expect.poll(() => full!.directory.othersInSwarm(), { timeout: 5000 }).toBe(0);
    newcomer!.join();
    await expect.poll(() => full!.directory.connections.refused, { timeout: 10_000 }).toBe(1);
    expect(newcomer!.directory.connections.offered).toBe(1);
    expect(full!.connected).toEqual([]);
    expect(full!.directory.connections.connecting).toBe(0);
  }, 30_000);
});
