import { describe, expect, it } from 'vitest';
import { FrameType, decodeMessage } from '../src/index.js';
import { PieceMap } from '../src/engine/piece-map.js';
import { Harness, segmentBytes } from './engine-harness.js';

describe('piece map', () => {
  it('splits, resumes a half-filled piece where it stopped, and lists missing spans', () => {
    const map = new PieceMap(250, 100);
    expect(map.pieces.map((p) => [p.start, p.end])).toEqual([
      [0, 100],
      [100, 200],
      [200, 250],
    ]);
    const first = map.nextUnowned()!;
    first.owner = 'a';
    expect(map.accept('a', 0, 40)).toBe(first);
    expect(map.accept('a', 50, 10)).toBeUndefined(); // a gap is refused
    expect(map.accept('b', 40, 10)).toBeUndefined(); // not b's piece
    map.release('a');
    expect(map.nextUnowned()).toBe(first);
    const third = map.pieces[2]!;
    third.owner = 'c';
    map.accept('c', 200, 50);
    expect(map.missingSpans()).toEqual([{ start: 40, end: 200 }]);
    expect(map.filledBytes).toBe(90);
    expect(map.complete).toBe(false);
  });
});

describe('multi-source downloads', () => {
  it('pulls one segment in pieces from several peers at once', async () => {
    const h = new Harness(2, 600_000);
    const { holders, d } = await h.piecewiseSwarm(['a', 'b', 'c'], 0);
    const uploadsBefore = holders.map((v) => v.stats().uploadBytes);
    const served = h.origin.servedBytes;
    const load = h.load(d, 0);
    await h.clock.advance(3000);
    const result = await load;
    expect(result.bytes).toEqual(segmentBytes(0, h.segmentSize));
    expect(result.source).toBe('p2p');
    expect(h.origin.servedBytes).toBe(served);
    const uploaded = holders.map((v, i) => v.stats().uploadBytes - uploadsBefore[i]!);
    expect(uploaded.filter((bytes) => bytes > 0).length).toBeGreaterThanOrEqual(2);
    expect(uploaded.reduce((a, b) => a + b, 0)).toBe(h.segmentSize);
  });

  it('when one source vanishes mid-piece, the others and HTTP bring only the missing bytes', async () => {
    const h = new Harness(2, 600_000);
    const { d } = await h.piecewiseSwarm(['a', 'b'], 1);
    const fromA = h.uplink('a', 'd');
    let chunks = 0;
    fromA.tamper = (frame) => {
      const decoded = decodeMessage(frame);
      if (decoded.ok && decoded.message.type === FrameType.Data && ++chunks === 6) {
        fromA.close();
        return undefined;
      }
      return frame;
    };
    const served = h.origin.servedBytes;
    const load = h.load(d, 1);
    await h.clock.advance(5000);
    const result = await load;
    expect(result.bytes).toEqual(segmentBytes(1, h.segmentSize));
    expect(result.p2pBytes + result.httpBytes).toBe(h.segmentSize);
    expect(h.origin.servedBytes - served).toBe(result.httpBytes);
    expect(d.stats().p2pBytes + d.stats().httpBytes).toBe(h.segmentSize);
  });
});
