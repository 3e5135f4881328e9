import { describe, expect, it } from 'vitest';
import { planFetch, rendezvousRank, type PolicyInput } from '../src/index.js';

const config = { httpSafetyMs: 1500, urgentP2PTimeoutMs: 1000, maxWaitForPeersMs: 6000 };
const base: PolicyInput = {
  timeToNeedMs: 10_000,
  httpEstimateMs: 500,
  peerHasIt: false,
  othersFetchFirst: false,
  peersConnecting: false,
  safetyFactor: 1,
  waitSafetyFactor: 1,
  urgentPeers: true,
};

describe('planFetch', () => {
  it('goes to HTTP at once when nobody has the segment and nobody will', () => {
    expect(planFetch(base, config)).toEqual({ kind: 'http' });
  });

  it('takes a held segment from peers, until the buffer says HTTP must start', () => {
    expect(planFetch({ ...base, peerHasIt: true }, config)).toEqual({ kind: 'p2p', giveUpMs: 8000 });
  });

  it('still gives peers a short chance when the buffer is empty (startup, seek)', () => {
    expect(planFetch({ ...base, peerHasIt: true, timeToNeedMs: 0 }, config)).toEqual({ kind: 'p2p', giveUpMs: 1000 });
  });

  it('waits for the live-edge fetcher only while the buffer allows, and never longer than the cap', () => {
    expect(planFetch({ ...base, othersFetchFirst: true }, config)).toEqual({ kind: 'wait', giveUpMs: 6000 });
    expect(planFetch({ ...base, othersFetchFirst: true, timeToNeedMs: 4000 }, config)).toEqual({ kind: 'wait', giveUpMs: 2000 });
    expect(planFetch({ ...base, othersFetchFirst: true, timeToNeedMs: 1500 }, config)).toEqual({ kind: 'http' });
  });

  it('lets a non-urgent segment wait for peers that are still connecting after a join', () => {
    expect(planFetch({ ...base, peersConnecting: true, timeToNeedMs: 3000 }, config)).toEqual({ kind: 'wait', giveUpMs: 1000 });
    expect(planFetch({ ...base, peersConnecting: true, timeToNeedMs: 0 }, config)).toEqual({ kind: 'http' });
  });

  it('on a device that is not keeping up: a larger reserve before peers, and no grace time when there is no slack', () => {
    const struggling = { ...base, safetyFactor: 2, waitSafetyFactor: 3, urgentPeers: false };
    // Waits for peers that do not hold it yet keep a deeper reserve (3 x 1.5 s) than downloads (2 x).
    expect(planFetch({ ...struggling, othersFetchFirst: true, timeToNeedMs: 7500 }, config)).toEqual({ kind: 'wait', giveUpMs: 2500 });
    expect(planFetch({ ...struggling, peersConnecting: true, timeToNeedMs: 7500 }, config)).toEqual({ kind: 'wait', giveUpMs: 2500 });
    expect(planFetch({ ...struggling, othersFetchFirst: true, timeToNeedMs: 4000 }, config)).toEqual({ kind: 'http' });
    expect(planFetch({ ...struggling, peerHasIt: true, timeToNeedMs: 4000 }, config)).toEqual({ kind: 'p2p', giveUpMs: 500 });
    expect(planFetch({ ...struggling, peerHasIt: true }, config)).toEqual({ kind: 'p2p', giveUpMs: 6500 });
    expect(planFetch({ ...struggling, peerHasIt: true, timeToNeedMs: 0 }, config)).toEqual({ kind: 'http' });
    // Critical: everything over HTTP, as without Shoal, however deep the buffer.
    const critical = { ...base, safetyFactor: Infinity, waitSafetyFactor: Infinity, urgentPeers: false, timeToNeedMs: 60_000 };
    for (const input of [{ othersFetchFirst: true }, { peersConnecting: true }, { peerHasIt: true }]) {
      expect(planFetch({ ...critical, ...input }, config)).toEqual({ kind: 'http' });
      expect(planFetch({ ...critical, ...input }, { ...config, httpSafetyMs: 0 })).toEqual({ kind: 'http' });
    }
  });
});

describe('rendezvousRank', () => {
  it('gives every viewer the same order, whatever order it lists the candidates in', () => {
    const ids = ['peer-a', 'peer-b', 'peer-c', 'peer-d'];
    const order = rendezvousRank('0:42', ids);
    expect(rendezvousRank('0:42', [...ids].reverse())).toEqual(order);
    expect([...order].sort()).toEqual([...ids].sort());
  });

  it('drops a departed viewer without reordering the rest', () => {
    const ids = ['peer-a', 'peer-b', 'peer-c', 'peer-d'];
    const order = rendezvousRank('0:7', ids);
    const without = rendezvousRank(
      '0:7',
      ids.filter((id) => id !== order[0]),
    );
    expect(without).toEqual(order.slice(1));
  });

  it('spreads first fetches evenly across viewers', () => {
    const ids = Array.from({ length: 8 }, (_, i) => `viewer-${i}`);
    const firsts = new Map<string, number>();
    for (let seq = 0; seq < 8000; seq++) {
      const top = rendezvousRank(`1:${seq}`, ids)[0]!;
      firsts.set(top, (firsts.get(top) ?? 0) + 1);
    }
    for (const id of ids) expect(firsts.get(id)).toBeGreaterThan(800);
  });
});
