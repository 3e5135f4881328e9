// Helpers of the cluster tests: clients joined to a node, and a node's options as CLI flags.
import { expect } from 'vitest';
import type { StartOptions } from '../src/index.js';
import { binId, isReply, offers, TestClient } from './helpers.js';

export type Joined = TestClient & { peerId: string };

/** The same options as flags of the tracker's CLI (nodeId -> --node-id 'n3'; logLevel stays the CLI's). */
export function cliFlags(options: StartOptions): string[] {
  return Object.entries(options).flatMap(([key, value]) =>
    key === 'logLevel' ? [] : [`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(value)],
  );
}

/** Joins `peerId` to `ih` on the node at `url` and returns the open client. */
export async function joined(url: string, ih: string, peerId = binId()): Promise<Joined> {
  const c = Object.assign(await TestClient.open(url), { peerId });
  expect(isReply(await c.join(ih, peerId))).toBe(true);
  return c;
}

/** Re-announces (with `offerCount` offers) until the reply counts `size` peers in the swarm. */
export async function swarmSizeBecomes(c: Joined, ih: string, size: number, offerCount: number, timeout = 5000): Promise<void> {
  await expect
    .poll(
      async () => {
        c.announce(ih, c.peerId, { offers: offers(offerCount), numwant: offerCount });
        return (await c.next(isReply)).incomplete;
      },
      { timeout, interval: 250 },
    )
    .toBe(size);
}
