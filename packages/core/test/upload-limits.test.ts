import { describe, expect, it } from 'vitest';
import { FrameType, RejectReason } from '../src/index.js';
import { Harness } from './engine-harness.js';
import { settle } from './integrity-helpers.js';
import { ScriptedPeer } from './scripted-peer.js';

/** Issue #12 item 5: what one requester can take from a viewer's uplink. */
describe('upload limits per peer', () => {
  /** Viewer 'a' holding every segment of the harness, and a scripted requester 'x' connected to it. */
  async function holderAndRequester(h: Harness) {
    // Loading 2 MB segments over the harness's origin runs past their plan, which device health
    // reads as a struggling device (uploads capped): these tests are about the per-peer limits alone.
    const a = h.viewer('a', { adaptToDevice: false });
    for (let seq = 0; seq < h.segmentCount; seq++) await settle(h.clock, h.load(a, seq));
    const x = new ScriptedPeer(h, 'x', () => {});
    await h.clock.advance(50);
    let requestId = 1;
    const ask = (seq: number) =>
      x.send({ type: FrameType.Request, requestId: requestId++, segment: { track: 0, seq }, offset: 0, length: 0 });
    return { a, x, ask };
  }

  it('serves the same segment to one peer at most twice, refuses more with a typed reason, and drops a peer that keeps asking', async () => {
    const h = new Harness(2, 100_000);
    const { a, x, ask } = await holderAndRequester(h);
    for (let i = 0; i < 100; i++) {
      ask(0);
      await h.clock.advance(10);
    }
    await h.clock.advance(100);
    expect(x.dataBytes).toBe(2 * h.segmentSize);
    const refusals = x.received.filter((m) => m.type === FrameType.Reject);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((m) => m.type === FrameType.Reject && m.reason === RejectReason.RepeatLimit)).toBe(true);
    expect(a.stats().peers).toBe(0);
    const [back] = h.swarm.introduce('x', 'a');
    await h.clock.advance(50);
    expect(back.closed).toBe(true);
  });

  it('one peer gets at most peerUploadBytesPerSecond however many segments it asks for', async () => {
    const h = new Harness(4, 2_000_000);
    const { a, x, ask } = await holderAndRequester(h);
    const perPeer = 4 * 1024 * 1024; // the default peerUploadBytesPerSecond
    for (let seq = 0; seq < 4; seq++) ask(seq);
    await h.clock.advance(1000);
    // The bucket starts full (a quarter second's worth), then refills at the per-peer rate.
    expect(x.dataBytes).toBeLessThanOrEqual(perPeer * 1.25 + 16 * 1024);
    expect(x.dataBytes).toBeGreaterThan(perPeer * 0.9);
    // Nothing refused: the segments all arrive, only paced.
    await h.clock.advance(2000);
    expect(x.dataBytes).toBe(4 * h.segmentSize);
    expect(a.config.peerUploadBytesPerSecond).toBe(perPeer);
  });

  it('peers being served split the overall upload cap evenly', async () => {
    const h = new Harness(4, 400_000);
    const a = h.viewer('a', { uploadBytesPerSecond: 400_000 });
    for (let seq = 0; seq < 4; seq++) await settle(h.clock, h.load(a, seq));
    const greedy = new ScriptedPeer(h, 'greedy', () => {});
    const modest = new ScriptedPeer(h, 'modest', () => {});
    await h.clock.advance(50);
    for (let seq = 0; seq < 4; seq++)
      greedy.send({ type: FrameType.Request, requestId: seq + 1, segment: { track: 0, seq }, offset: 0, length: 0 });
    modest.send({ type: FrameType.Request, requestId: 1, segment: { track: 0, seq: 0 }, offset: 0, length: 0 });
    await h.clock.advance(1500);
    // Both are served, neither gets much more than the other.
    expect(modest.dataBytes).toBeGreaterThan(0.35 * (greedy.dataBytes + modest.dataBytes));
  });
});
