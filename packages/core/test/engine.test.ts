import { describe, expect, it } from 'vitest';
import { FrameType, decodeMessage, encodeMessage, ShoalConfigError, ShoalEngine } from '../src/index.js';
import { Harness, segmentBytes, trueBytesVerifier } from './engine-harness.js';

describe('engine on fake I/O', () => {
  it('serves a segment a peer holds from that peer, not from the origin', async () => {
    const h = new Harness();
    const { a, b, seeded } = await h.seededPair(0);
    expect(seeded).toMatchObject({ source: 'http', httpReason: 'plan' });
    const second = h.load(b, 0);
    await h.clock.advance(1000);
    const result = await second;
    expect(result.source).toBe('p2p');
    expect(result.httpReason).toBeUndefined();
    expect(result.bytes).toEqual(segmentBytes(0, h.segmentSize));
    expect(h.origin.servedBytes).toBe(h.segmentSize);
    expect(b.stats()).toMatchObject({ p2pBytes: h.segmentSize, httpBytes: 0 });
    expect(a.stats().uploadBytes).toBe(h.segmentSize);
  });

  it('counts the bytes of a load the player aborts as abandoned', async () => {
    const h = new Harness();
    const { b } = await h.seededPair(0);
    let abort = () => {};
    const request = { id: { track: 0, seq: 0 }, url: 'http://origin.test/seg-0.m4s', durationS: 2, startS: 0, live: false };
    // hls.js gives up on the load once the first bytes are in (a seek, say).
    abort = b.load(request, { onProgress: () => abort(), onSuccess: () => {}, onError: () => {} });
    await h.clock.advance(1000);
    const stats = b.stats();
    expect(stats.p2pBytes).toBeGreaterThan(0);
    expect(stats.p2pBytes).toBeLessThan(h.segmentSize);
    expect(stats.abandonedBytes).toBe(stats.p2pBytes + stats.httpBytes);
  });

  it('fetches only the missing tail over HTTP when a peer vanishes mid-transfer', async () => {
    const h = new Harness();
    const { b } = await h.seededPair(1);
    const uploaderEnd = h.uplink('a', 'b');
    let dataFrames = 0;
    uploaderEnd.tamper = (frame) => {
      const decoded = decodeMessage(frame);
      if (decoded.ok && decoded.message.type === FrameType.Data && ++dataFrames === 3) {
        uploaderEnd.close(); // the uploading viewer closes its tab after two chunks
        return undefined;
      }
      return frame;
    };
    const second = h.load(b, 1);
    await h.clock.advance(3000);
    const result = await second;
    expect(result.source).toBe('mixed');
    expect(result.httpReason).toBe('peer-failed');
    expect(result.bytes).toEqual(segmentBytes(1, h.segmentSize));
    expect(result.p2pBytes + result.httpBytes).toBe(h.segmentSize);
    const tail = h.origin.requests.at(-1)!;
    expect(tail.start).toBe(result.p2pBytes);
  });

  it('keeps a working connection when the tracker introduces the pair again, with a transfer in flight', async () => {
    const h = new Harness();
    const { a, b } = await h.seededPair(0);
    const [original] = h.swarm.link('a', 'b')!;
    const transfer = h.load(b, 0);
    await h.clock.advance(12); // the request is on its way
    const [again, againTheirs] = h.swarm.introduce('a', 'b');
    await h.clock.advance(1000);
    expect((await transfer).source).toBe('p2p');
    expect(original.closed).toBe(false);
    expect(again.closed && againTheirs.closed).toBe(true);
    expect(a.stats().peers).toBe(1);
    expect(b.stats().peers).toBe(1);
  });

  it('at the live edge, one viewer fetches a new segment from the origin and the others get it from peers', async () => {
    const h = new Harness();
    const viewers = ['v1', 'v2', 'v3', 'v4'].map((id) => h.viewer(id));
    await h.clock.advance(50);
    // Everybody has been playing the live stream: they announce segment 0 to each other.
    await Promise.all(viewers.map((v) => h.load(v, 0, true)).map(async (p) => (await h.clock.advance(6000), p)));
    h.origin.requests = [];
    const served = h.origin.servedBytes;
    const loads = viewers.map((v) => h.load(v, 1, true));
    await h.clock.advance(6000);
    const results = await Promise.all(loads);
    expect(h.origin.servedBytes - served).toBe(h.segmentSize); // exactly one origin fetch
    expect(results.filter((r) => r.source === 'http')).toHaveLength(1);
    for (const r of results) expect(r.bytes).toEqual(segmentBytes(1, h.segmentSize));
  });

  it('gives up waiting for peers in time to fetch over HTTP before the buffer runs out', async () => {
    const h = new Harness();
    const a = h.viewer('a', { httpSafetyMs: 1000 });
    const b = h.viewer('b', { httpSafetyMs: 1000 });
    await h.clock.advance(50);
    await Promise.all([h.load(a, 0, true), h.load(b, 0, true), h.clock.advance(8000)]);
    h.buffers.set('a', 4);
    h.buffers.set('b', 4);
    // The viewer ranked to fetch segment 2 first has left: the other must not wait past its deadline.
    const fetcherFirst = h.origin.requests.length;
    b.destroy();
    await h.clock.advance(50);
    const started = h.clock.now();
    const load = h.load(a, 2, true);
    await h.clock.advance(5000);
    const result = await load;
    expect(result.source).toBe('http');
    expect(result.endedAt - started).toBeLessThan(4000);
    expect(h.origin.requests.length).toBe(fetcherFirst + 1);
  });

  it('drops and bans a peer that sends malformed frames, and still delivers the segment', async () => {
    const h = new Harness();
    const a = h.viewer('a');
    const b = h.viewer('b');
    const misbehaved: string[] = [];
    b.on('peer-misbehaved', (e) => misbehaved.push(e.peerId));
    await h.clock.advance(50);
    await Promise.all([h.load(a, 2), h.clock.advance(1000)]);
    const uploaderEnd = h.uplink('a', 'b');
    uploaderEnd.tamper = (frame) => (frame[0] === FrameType.Response ? Uint8Array.of(0xee, 1, 2, 3) : frame);
    const load = h.load(b, 2);
    await h.clock.advance(3000);
    const result = await load;
    expect(result.bytes).toEqual(segmentBytes(2, h.segmentSize));
    expect(misbehaved).toEqual(['a']);
    expect(b.stats().peers).toBe(0);
  });

  it('never delivers bytes a peer altered: they are rejected, the peer banned, the segment refetched over HTTP', async () => {
    const h = new Harness();
    const a = h.viewer('a');
    const b = h.viewer('b', {}, trueBytesVerifier(h));
    const corrupted: string[][] = [];
    b.on('segment-corrupted', (e) => corrupted.push([...e.peerIds]));
    await h.clock.advance(50);
    await Promise.all([h.load(a, 4), h.clock.advance(1000)]);
    const uploaderEnd = h.uplink('a', 'b');
    uploaderEnd.tamper = (frame) => {
      if (frame[0] !== FrameType.Data) return frame;
      const flipped = frame.slice();
      flipped[flipped.length - 1]! ^= 0xff;
      return flipped;
    };
    const load = h.load(b, 4);
    await h.clock.advance(3000);
    const result = await load;
    expect(result.bytes).toEqual(segmentBytes(4, h.segmentSize));
    expect(result.source).toBe('http');
    expect(corrupted).toEqual([['a']]);
    expect(b.stats()).toMatchObject({ rejectedBytes: h.segmentSize, p2pBytes: 0, httpBytes: h.segmentSize, peers: 0 });
  });

  it('with uploads off, serves nothing and peers fall back to HTTP', async () => {
    const h = new Harness();
    const a = h.viewer('a', { uploads: false });
    const b = h.viewer('b');
    await h.clock.advance(50);
    await Promise.all([h.load(a, 3), h.clock.advance(1000)]);
    const load = h.load(b, 3);
    await h.clock.advance(2000);
    expect((await load).source).toBe('http');
    expect(a.stats().uploadBytes).toBe(0);
  });

  it('caps the upload rate', async () => {
    const h = new Harness(2, 200_000);
    const a = h.viewer('a', { uploadBytesPerSecond: 100_000 });
    const b = h.viewer('b', { peerStallMs: 5000 });
    await h.clock.advance(50);
    await Promise.all([h.load(a, 0), h.clock.advance(1000)]);
    const load = h.load(b, 0);
    await h.clock.advance(1000);
    expect(a.stats().uploadBytes).toBeLessThanOrEqual(100_000 * 1.2 + 25_000);
    await h.clock.advance(5000);
    await load;
  });

  it('validates config and names the field', () => {
    const h = new Harness();
    const make = (config: object) =>
      new ShoalEngine(
        {
          clock: h.clock,
          http: h.origin.client(),
          peerId: 'x',
          playhead: { bufferedAheadS: () => 0, positionS: () => 0, playbackRate: () => 1 },
        },
        config,
      );
    expect(() => make({ maxPeers: -1 })).toThrow(ShoalConfigError);
    expect(() => make({ maxPeers: 'many' })).toThrow('config.maxPeers must be an integer from 0 to 100, got "many"');
    expect(() => make({ uploads: 'yes' })).toThrow('config.uploads must be true or false');
    // A function's String() is its source text: the message names its kind instead.
    expect(() => make({ maxPeers: () => 'secret source' })).toThrow('config.maxPeers must be an integer from 0 to 100, got a function');
  });

  it('bans a peer that claims more availability in one range than any store could hold', async () => {
    const h = new Harness();
    const a = h.viewer('a');
    const b = h.viewer('b', { maxAvailability: 100 });
    const misbehaved: string[] = [];
    b.on('peer-misbehaved', (e) => misbehaved.push(`${e.peerId} ${e.code}: ${e.detail}`));
    await h.clock.advance(50);
    const toB = h.uplink('a', 'b');
    toB.send(encodeMessage({ type: FrameType.HaveRanges, ranges: [{ track: 0, from: 0, count: 4_000_000 }] }));
    await h.clock.advance(100);
    expect(misbehaved).toEqual(['a absurd-availability: claimed 4000000 segments from 0:0 (no store holds over 2097152)']);
    expect(a.stats().peers).toBe(0);
  });
});
