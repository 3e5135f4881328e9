import { describe, expect, it } from 'vitest';
import { ranksAtEdge, type EdgeNeighbour } from '../src/engine/live-edge.js';
import { rendezvousRank, segmentKey } from '../src/index.js';
import { Harness } from './engine-harness.js';

const config = { peerWarmupMs: 3000, liveEdgeFetchers: 1 };
const settled = (id: string): EdgeNeighbour => ({ id, readyForMs: 10_000 });
const fresh = (id: string): EdgeNeighbour => ({ id, readyForMs: 500 });

/** A segment key that `first` ranks first for among `ids`. */
function keyRankedFirstBy(first: string, ids: readonly string[]): string {
  for (let seq = 0; ; seq++) if (rendezvousRank(segmentKey({ track: 0, seq }), ids)[0] === first) return segmentKey({ track: 0, seq });
}

describe('who fetches a new live segment from the origin', () => {
  it('ranks over itself and the connections usable for the warm-up, on both ends alike', () => {
    const key = keyRankedFirstBy('me', ['me', 'a', 'b']);
    expect(ranksAtEdge(key, 'me', [settled('a'), settled('b')], 60_000, config)).toBe(true);
    // Ranked below a settled neighbour: it waits.
    const theirs = keyRankedFirstBy('a', ['me', 'a', 'b']);
    expect(ranksAtEdge(theirs, 'me', [settled('a'), settled('b')], 60_000, config)).toBe(false);
    // A connection still in its warm-up does not count, whichever way it would rank.
    const newcomers = keyRankedFirstBy('n', ['me', 'a', 'n']);
    expect(ranksAtEdge(newcomers, 'me', [settled('a'), fresh('n')], 60_000, config)).toBe(
      rendezvousRank(newcomers, ['me', 'a'])[0] === 'me',
    );
  });

  it('a newcomer waits for the viewers already there, and fetches itself only when nobody plays near the edge', () => {
    const key = keyRankedFirstBy('me', ['me', 'a', 'b']);
    expect(ranksAtEdge(key, 'me', [fresh('a'), fresh('b')], 1000, config)).toBe(false);
    expect(ranksAtEdge(key, 'me', [], 1000, config)).toBe(true);
    // After two warm-ups it is a member like any other, even if its connections are all new.
    expect(ranksAtEdge(key, 'me', [fresh('a'), fresh('b')], 6000, config)).toBe(true);
  });

  it('a viewer long in the swarm whose only neighbours are new ranks alone', () => {
    const key = keyRankedFirstBy('n', ['me', 'n']);
    expect(ranksAtEdge(key, 'me', [fresh('n')], 60_000, config)).toBe(true);
  });

  it('in the engine: a newcomer connected to part of a live swarm takes the edge from its peers, not the origin', async () => {
    const h = new Harness(60);
    const warm = { peerWarmupMs: 3000 };
    const old = ['v1', 'v2', 'v3'].map((id) => h.viewer(id, warm));
    await h.clock.advance(4000);
    for (let seq = 0; seq < 3; seq++) await Promise.all([...old.map((v) => h.load(v, seq, true)), h.clock.advance(2000)]);
    const newcomer = h.viewer('new', warm);
    await h.clock.advance(50);
    // Its first connections failed; past its warm-up the tracker brings it v1 alone (one announce
    // reaches a few members), so it sees only itself and v1 near the edge.
    for (const id of ['v1', 'v2', 'v3']) h.swarm.link('new', id)![0].close();
    await h.clock.advance(3500);
    h.swarm.introduce('new', 'v1');
    await h.clock.advance(100);
    expect(newcomer.stats().peers).toBe(1);
    // Segments it would rank itself first for among what it sees (itself and v1).
    const seqs: number[] = [];
    for (let seq = 3; seqs.length < 2; seq++) if (rendezvousRank(segmentKey({ track: 0, seq }), ['new', 'v1'])[0] === 'new') seqs.push(seq);
    const before = h.origin.requests.length;
    const results = [];
    for (const seq of seqs) {
      const loads = [...old, newcomer].map((v) => h.load(v, seq, true));
      await h.clock.advance(2000);
      results.push(...(await Promise.all(loads)));
    }
    expect(h.origin.requests.length - before).toBe(seqs.length); // one origin fetch per segment
    expect(results.filter((r) => r.source === 'http')).toHaveLength(seqs.length);
  });
});
