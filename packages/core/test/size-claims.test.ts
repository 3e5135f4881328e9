import { describe, expect, it } from 'vitest';
import { FrameType, ManifestVerifier, MAX_SEGMENT_BYTES, type SegmentVerifier } from '../src/index.js';
import { Harness, segmentBytes } from './engine-harness.js';
import { hex, MANIFEST_URL, manifestFor, settle } from './integrity-helpers.js';

/** What a peer claims about a segment's size is not trusted: the manifest or the origin settles it. */
describe('segment size claims', () => {
  it('a peer that claims a larger size than the segment has does not make the load fail', async () => {
    const h = new Harness(4, 50_000);
    const a = h.viewer('a');
    const b = h.viewer('b', { peerStallMs: 500 });
    await h.clock.advance(50);
    await settle(h.clock, h.load(a, 1));
    await h.clock.advance(50);
    const uploaderEnd = h.uplink('a', 'b');
    uploaderEnd.tamper = (frame) => {
      if (frame[0] !== FrameType.Response) return frame;
      const lied = frame.slice();
      const view = new DataView(lied.buffer);
      view.setUint32(5, view.getUint32(5) + 5000); // totalSize
      view.setUint32(13, view.getUint32(13) + 5000); // length
      return lied;
    };
    const errors: Error[] = [];
    const result = await settle(
      h.clock,
      h.load(b, 1).catch((e: Error) => (errors.push(e), undefined)),
    );
    expect(errors).toEqual([]);
    expect(hex(result!.bytes)).toBe(hex(segmentBytes(1, 50_000)));
    expect(b.stats().p2pBytes).toBe(0);
  });

  it('a peer whose claimed size contradicts the manifest is banned, and the honest peers still serve the segment', async () => {
    const h = new Harness(2, 600_000);
    const manifest = manifestFor([0, 1].map((seq) => ({ seq, bytes: segmentBytes(seq, 600_000) })));
    h.origin.files.set(MANIFEST_URL, new TextEncoder().encode(JSON.stringify(manifest)));
    const verifier = new ManifestVerifier({ http: h.origin.client(), clock: h.clock, manifestUrl: MANIFEST_URL });
    await settle(h.clock, verifier.load());
    const { d, misbehaved } = await swarmWithSizeLiar(h, ['liar', 'b', 'c'], verifier);
    const served = h.origin.servedBytes;
    const result = await settle(h.clock, h.load(d, 0));
    expect(hex(result.bytes)).toBe(hex(segmentBytes(0, 600_000)));
    expect(misbehaved).toEqual(['liar']);
    expect(d.stats()).toMatchObject({ peers: 2 });
    // Whatever the liar's turn cost came from honest peers or a Range for the gap, never the whole segment again.
    expect(result.p2pBytes).toBeGreaterThan(0);
    expect(h.origin.servedBytes - served).toBeLessThan(600_000);
  });

  it('without a manifest, peers that disagree on the size cost nothing: the origin settles it and only the liar is banned', async () => {
    const h = new Harness(2, 600_000);
    const { d, holders, misbehaved } = await swarmWithSizeLiar(h, ['b', 'c', 'liar']);
    const dropped: string[] = [];
    d.on('peer-bytes-dropped', (e) => dropped.push(e.code));
    const result = await settle(h.clock, h.load(d, 0));
    expect(hex(result.bytes)).toBe(hex(segmentBytes(0, 600_000)));
    expect(dropped).toEqual(['size-dispute']);
    expect(misbehaved).toEqual(['liar']);
    expect(d.stats().peers).toBe(2);
    // The honest peers keep a clean record: the next segment still comes from them.
    for (const v of holders.slice(0, 2)) await settle(h.clock, h.load(v, 1));
    await h.clock.advance(50);
    expect((await settle(h.clock, h.load(d, 1))).source).toBe('p2p');
  });

  it('without a manifest, a claim of 64 MiB allocates nothing until bytes come, and the load still succeeds (#12 item 6)', async () => {
    const h = new Harness(4, 50_000);
    const a = h.viewer('a');
    const b = h.viewer('b', { peerStallMs: 500 });
    const misbehaved: string[] = [];
    b.on('peer-misbehaved', (e) => misbehaved.push(e.peerId));
    await h.clock.advance(50);
    await settle(h.clock, h.load(a, 1));
    await h.clock.advance(50);
    h.uplink('a', 'b').tamper = (frame) => {
      if (frame[0] === FrameType.Data) return undefined; // claims, then sends nothing
      if (frame[0] !== FrameType.Response) return frame;
      const lied = frame.slice();
      const view = new DataView(lied.buffer);
      view.setUint32(5, MAX_SEGMENT_BYTES); // totalSize
      view.setUint32(13, 128 * 1024); // length: the first piece of such a segment
      return lied;
    };
    const before = process.memoryUsage().arrayBuffers;
    const load = h.load(b, 1);
    await h.clock.advance(100); // request out, claim in
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(MAX_SEGMENT_BYTES / 4);
    const result = await settle(h.clock, load);
    expect(hex(result.bytes)).toBe(hex(segmentBytes(1, 50_000)));
    expect(misbehaved).toEqual(['a']); // its claim, judged against the origin's copy
  });
});

/** Holders of segment 0 (one of them, 'liar', claims 700 000 bytes for it) and a viewer 'd' about to load it. */
async function swarmWithSizeLiar(h: Harness, holderIds: string[], verifier?: SegmentVerifier) {
  const { holders, d } = await h.piecewiseSwarm(holderIds, 0, verifier);
  const misbehaved: string[] = [];
  d.on('peer-misbehaved', (e) => misbehaved.push(e.peerId));
  const fromLiar = h.uplink('liar', 'd');
  fromLiar.tamper = (frame) => {
    if (frame[0] !== FrameType.Response) return frame;
    const lied = frame.slice();
    new DataView(lied.buffer).setUint32(5, 700_000); // totalSize
    return lied;
  };
  return { d, holders, misbehaved };
}
