import { describe, expect, it } from 'vitest';
import { ShoalEngine, type SegmentId } from '../src/index.js';
import { SegmentStore } from '../src/engine/segment-store.js';
import { Harness } from './engine-harness.js';

describe('segment store', () => {
  it('keeps within its byte budget, evicting what is behind the playhead first (least recently used among those)', () => {
    const evicted: SegmentId[] = [];
    let playhead = 0;
    const store = new SegmentStore(3_000, { added: () => {}, evicted: (ids) => evicted.push(...ids) }, () => playhead);
    for (let seq = 0; seq < 3; seq++) store.put({ track: 0, seq }, new Uint8Array(1_000), seq * 2);
    playhead = 3; // segments 0 and 1 are behind
    store.get({ track: 0, seq: 0 }); // a peer just asked for it: segment 1 goes first
    store.put({ track: 0, seq: 3 }, new Uint8Array(1_000), 6);
    expect(store.bytes).toBe(3_000);
    expect(evicted.map((id) => id.seq)).toEqual([1]);
    store.put({ track: 0, seq: 4 }, new Uint8Array(1_000), 8);
    expect(evicted.map((id) => id.seq)).toEqual([1, 0]); // then the other one behind, before anything ahead
  });

  it('on live, drops what is older than the window behind the playhead and says so to peers', () => {
    const evicted: SegmentId[] = [];
    const store = new SegmentStore(1e9, { added: () => {}, evicted: (ids) => evicted.push(...ids) });
    for (let seq = 0; seq < 100; seq++) store.put({ track: 1, seq }, new Uint8Array(100), seq * 2);
    store.trimBehind(200 - 60);
    expect(store.count).toBe(30);
    expect(evicted).toHaveLength(70);
    expect(Math.min(...store.ids().map((id) => id.seq))).toBe(70);
  });

  it('an engine with P2P off holds nothing, and one in a swarm reports what it holds', async () => {
    const h = new Harness(2, 10_000);
    const alone = new ShoalEngine({
      clock: h.clock,
      http: h.origin.client(),
      peerId: 'x',
      playhead: { bufferedAheadS: () => 0, positionS: () => 0, playbackRate: () => 1 },
    });
    const inSwarm = h.viewer('a');
    await Promise.all([h.load(alone, 0), h.load(inSwarm, 0), h.clock.advance(1000)]);
    expect(alone.stats()).toMatchObject({ httpBytes: 10_000, storeBytes: 0, storeSegments: 0 });
    expect(inSwarm.stats()).toMatchObject({ storeBytes: 10_000, storeSegments: 1 });
  });
});
