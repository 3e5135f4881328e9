// The engine with a hash manifest: altered peer bytes never reach the player, their sender is banned.
import { describe, expect, it } from 'vitest';
import { FrameType, ManifestVerifier } from '../src/index.js';
import { Harness, segmentBytes } from './engine-harness.js';
import { hex, MANIFEST_URL, manifestFor, settle } from './integrity-helpers.js';

/** A harness of `count` segments of `size` bytes whose origin serves their hash manifest, and a verifier reading it. */
function withManifest(count: number, size: number): { h: Harness; verifier: ManifestVerifier } {
  const h = new Harness(count, size);
  const manifest = manifestFor(Array.from({ length: count }, (_, seq) => ({ seq, bytes: segmentBytes(seq, size) })));
  h.origin.files.set(MANIFEST_URL, new TextEncoder().encode(JSON.stringify(manifest)));
  return { h, verifier: new ManifestVerifier({ http: h.origin.client(), clock: h.clock, manifestUrl: MANIFEST_URL }) };
}

describe('engine with a ManifestVerifier', () => {
  it('altered peer bytes never reach the player: rejected, the sender banned, the segment refetched over HTTP', async () => {
    const { h, verifier } = withManifest(6, 50_000);
    const a = h.viewer('a');
    const b = h.viewer('b', {}, verifier);
    const corrupted: Array<{ peerIds: readonly string[]; bytes: number }> = [];
    b.on('segment-corrupted', (e) => corrupted.push(e));
    await h.clock.advance(50);
    await settle(h.clock, h.load(a, 2));
    await settle(h.clock, h.load(a, 3));
    const uploaderEnd = h.uplink('a', 'b');
    uploaderEnd.tamper = (frame) => {
      if (frame[0] !== FrameType.Data) return frame;
      const flipped = frame.slice();
      flipped[flipped.length - 1]! ^= 0x01;
      return flipped;
    };
    const result = await settle(h.clock, h.load(b, 2));
    expect(hex(result.bytes)).toBe(hex(segmentBytes(2, 50_000)));
    expect(result.source).toBe('http');
    expect(corrupted).toEqual([{ id: { track: 0, seq: 2 }, peerIds: ['a'], bytes: 50_000 }]);
    expect(b.stats()).toMatchObject({ rejectedBytes: 50_000, p2pBytes: 0, peers: 0 });
    // Banned for the session: the next segment a holds is not asked of it.
    const next = await settle(h.clock, h.load(b, 3));
    expect(next.source).toBe('http');
    expect(b.stats().rejectedBytes).toBe(50_000);
  });

  it('honest peer bytes pass verification and count as p2p', async () => {
    const { h, verifier } = withManifest(4, 50_000);
    const a = h.viewer('a');
    const b = h.viewer('b', {}, verifier);
    await h.clock.advance(50);
    await settle(h.clock, h.load(a, 1));
    await h.clock.advance(50); // a's HAVE reaches b
    const result = await settle(h.clock, h.load(b, 1));
    expect(result.source).toBe('p2p');
    expect(b.stats()).toMatchObject({ p2pBytes: 50_000, rejectedBytes: 0 });
  });

  it("bytes the verifier cannot vouch for ('unverifiable') are dropped and refetched over HTTP, and nobody is banned", async () => {
    const h = new Harness(4, 50_000);
    const a = h.viewer('a');
    const b = h.viewer('b', {}, { verify: async () => 'unverifiable' });
    const corrupted: unknown[] = [];
    b.on('segment-corrupted', (e) => corrupted.push(e));
    await h.clock.advance(50);
    await settle(h.clock, h.load(a, 1));
    await h.clock.advance(50);
    const result = await settle(h.clock, h.load(b, 1));
    expect(hex(result.bytes)).toBe(hex(segmentBytes(1, 50_000)));
    expect(result.source).toBe('http');
    expect(corrupted).toEqual([]);
    expect(b.stats()).toMatchObject({ p2pBytes: 0, rejectedBytes: 50_000, httpBytes: 50_000, peers: 1 });
  });

  it('when several peers sent pieces of a corrupted segment, only the one whose bytes differ from the origin is banned', async () => {
    const { h, verifier } = withManifest(2, 600_000);
    const { d } = await h.piecewiseSwarm(['a', 'b', 'c'], 0, verifier);
    const corrupted: Array<{ peerIds: readonly string[]; bytes: number }> = [];
    d.on('segment-corrupted', (e) => corrupted.push(e));
    const fromC = h.uplink('c', 'd');
    fromC.tamper = (frame) => {
      if (frame[0] !== FrameType.Data) return frame;
      const flipped = frame.slice();
      flipped[20]! ^= 0x01;
      return flipped;
    };
    const result = await settle(h.clock, h.load(d, 0));
    expect(hex(result.bytes)).toBe(hex(segmentBytes(0, 600_000)));
    expect(corrupted).toHaveLength(1);
    expect(corrupted[0]!.peerIds).toEqual(['c']);
    expect(d.stats()).toMatchObject({ p2pBytes: 0, rejectedBytes: corrupted[0]!.bytes, peers: 2 });
  });
});
