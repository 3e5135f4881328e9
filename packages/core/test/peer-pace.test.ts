import { describe, expect, it } from 'vitest';
import { FrameType } from '../src/index.js';
import { SLOW_RETRY_MS } from '../src/engine/peer-pace.js';
import { Harness, segmentBytes } from './engine-harness.js';
import { settle } from './integrity-helpers.js';
import { serveTruly, viewerAndScriptedPeer } from './scripted-peer.js';

/** Issue #12 item 3 / #11: a peer is judged by the pace it delivers at, against what the deadline needs. */
describe('peer pace', () => {
  it('a peer that drips correct bytes at 1 B/s is cut over to HTTP early, and not asked again', async () => {
    const h = new Harness(4, 100_000);
    const { v, peer: slow } = await viewerAndScriptedPeer(h, 'slow', serveTruly(h, { chunkBytes: 1, everyMs: 1000 }), 10);
    const result = await settle(h.clock, h.load(v, 0));
    expect(result.bytes).toEqual(segmentBytes(0, h.segmentSize));
    expect(result.httpReason).toBe('peer-failed');
    // Cut once the pace is judged (500 ms), then the missing bytes over HTTP (~250 ms): not the
    // 6+ s the deadline allowed.
    expect(result.endedAt - result.requestedAt).toBeLessThan(1500);
    // Measured at its pace, it is not asked again: the next segment goes to HTTP at once.
    const next = await settle(h.clock, h.load(v, 1));
    expect(next.source).toBe('http');
    expect(next.endedAt - next.requestedAt).toBeLessThan(500);
    expect(slow.requests).toHaveLength(1);
  });

  it('a peer that delivered before and then falls behind its pace costs one cut, then is not asked while too slow', async () => {
    const h = new Harness(4, 100_000);
    let drip = false;
    const fast = serveTruly(h);
    const slow = serveTruly(h, { chunkBytes: 1, everyMs: 1000 });
    const { v, peer } = await viewerAndScriptedPeer(h, 'p', (request, send) => (drip ? slow : fast)(request, send), 10);
    expect((await settle(h.clock, h.load(v, 0))).source).toBe('p2p');
    drip = true;
    const cut = await settle(h.clock, h.load(v, 1));
    expect(cut.httpReason).toBe('peer-failed');
    expect(cut.endedAt - cut.requestedAt).toBeLessThan(1500);
    // Still connected (one failure is not enough to drop a peer that delivered), but measured
    // too slow to bring a piece in time: the next segment goes straight to HTTP.
    expect(v.stats().peers).toBe(1);
    const third = await settle(h.clock, h.load(v, 2));
    expect(third.source).toBe('http');
    expect(third.endedAt - third.requestedAt).toBeLessThan(500);
    expect(peer.requests.map((r) => r.segment.seq)).toEqual([0, 1]);
  });

  it('an honest peer slower than the origin but fast enough for the deadline is not cut', async () => {
    const h = new Harness(4, 100_000);
    // 16 KiB every 500 ms: the 100 kB segment takes ~3 s, well inside the ~6 s deadline.
    const { v, peer } = await viewerAndScriptedPeer(h, 'p', serveTruly(h, { chunkBytes: 16 * 1024, everyMs: 500 }), 10);
    const result = await settle(h.clock, h.load(v, 0));
    expect(result.source).toBe('p2p');
    expect(result.endedAt - result.requestedAt).toBeGreaterThan(2500);
    expect(peer.received.some((m) => m.type === FrameType.Cancel)).toBe(false);
    expect(v.stats().peers).toBe(1);
  });

  it('a slow verdict is checked again after SLOW_RETRY_MS: a peer that caught up serves again', async () => {
    // A busy device stalls one transfer for seconds; shutting the peer out for good on that made
    // every peer of a CPU-bound page "too slow" in the end, and everything came from the origin.
    const h = new Harness(4, 100_000);
    let drip = true;
    const fast = serveTruly(h);
    const slow = serveTruly(h, { chunkBytes: 1, everyMs: 1000 });
    const { v, peer } = await viewerAndScriptedPeer(h, 'p', (request, send) => (drip ? slow : fast)(request, send), 10);
    expect((await settle(h.clock, h.load(v, 0))).httpReason).toBe('peer-failed');
    drip = false;
    expect((await settle(h.clock, h.load(v, 1))).source).toBe('http');
    await h.clock.advance(SLOW_RETRY_MS);
    const retried = await settle(h.clock, h.load(v, 2));
    expect(retried.source).toBe('p2p');
    expect(peer.requests.map((r) => r.segment.seq)).toEqual([0, 2]);
  });

  it('a peer that stays slow is retried less and less often, then dropped', async () => {
    const h = new Harness(80, 20_000);
    const { v, peer } = await viewerAndScriptedPeer(h, 'slow', serveTruly(h, { chunkBytes: 1, everyMs: 1000 }), 10);
    // One segment every ~2 s for ~150 s: cut at once, retried after ~10 s, then after ~20 s;
    // its third failure (maxPeerFailures) ends the connection. Three cut pieces over its life.
    for (let seq = 0; seq < 75; seq++) {
      await settle(h.clock, h.load(v, seq));
      await h.clock.advance(2000);
    }
    const asked = peer.requests.map((r) => r.segment.seq);
    expect(asked).toHaveLength(3);
    expect(asked[2]! - asked[1]!).toBeGreaterThanOrEqual(2 * (asked[1]! - asked[0]!) - 1);
    expect(v.stats().peers).toBe(0);
  });
});
