import { describe, expect, it } from 'vitest';
import { FrameType, RejectReason } from '../src/index.js';
import { Harness } from './engine-harness.js';
import { settle } from './integrity-helpers.js';
import { ScriptedPeer, serveTruly, viewerAndScriptedPeer } from './scripted-peer.js';

/** Issue #12 item 4: a peer that announces segments it then does not serve costs one request, for the session. */
describe('peers that break their claims', () => {
  it('one that announces everything and rejects it costs one request, and stays out when it comes back under the same id', async () => {
    const h = new Harness(6, 50_000);
    const { v, peer: liar } = await viewerAndScriptedPeer(h, 'liar', (request, send) =>
      send({ type: FrameType.Reject, requestId: request.requestId, reason: RejectReason.NotFound }),
    );
    const misbehaved: string[] = [];
    v.on('peer-misbehaved', (e) => misbehaved.push(e.peerId));
    for (let seq = 0; seq < 5; seq++) expect((await settle(h.clock, h.load(v, seq))).source).toBe('http');
    expect(liar.requests).toHaveLength(1);
    expect(v.stats().peers).toBe(0);
    expect(misbehaved).toEqual(['liar']);
    // The tracker introduces it again: refused.
    const [fromLiar] = h.swarm.introduce('liar', 'v');
    await h.clock.advance(50);
    expect(fromLiar.closed).toBe(true);
    expect(liar.requests).toHaveLength(1);
  });

  it('one that stays silent costs one stall, and the next segments do not wait for it', async () => {
    const h = new Harness(6, 50_000);
    const { v, peer: liar } = await viewerAndScriptedPeer(h, 'liar', () => {});
    const first = await settle(h.clock, h.load(v, 0));
    expect(first.httpReason).toBe('peer-failed');
    expect(first.endedAt - first.requestedAt).toBeLessThan(v.config.peerStallMs + 500);
    for (let seq = 1; seq < 5; seq++) {
      const result = await settle(h.clock, h.load(v, seq));
      expect(result.httpReason).toBe('plan');
    }
    expect(liar.requests).toHaveLength(1);
  });

  it('a new peer gets one request at a time until it delivers, so every fresh id costs one request', async () => {
    const h = new Harness(6, 50_000);
    const { v, peer: first } = await viewerAndScriptedPeer(h, 'new-1', () => {});
    // Two segments asked at once: only one of them waits for the newcomer.
    const loads = [h.load(v, 0), h.load(v, 1)];
    const results = await Promise.all(loads.map((load) => settle(h.clock, load)));
    expect(results.map((r) => r.httpReason).sort()).toEqual(['peer-failed', 'plan']);
    expect(first.requests).toHaveLength(1);
    const second = new ScriptedPeer(h, 'new-2', () => {});
    await h.clock.advance(50);
    await Promise.all([h.load(v, 2), h.load(v, 3)].map((load) => settle(h.clock, load)));
    expect(second.requests).toHaveLength(1);
    expect(v.stats().peers).toBe(0);
  });

  it('a connection that fails while we ask costs nothing more: the segment comes over HTTP', async () => {
    const h = new Harness(6, 50_000);
    const { v } = await viewerAndScriptedPeer(h, 'p', serveTruly(h));
    h.uplink('v', 'p').tamper = (frame) => {
      if (frame[0] === FrameType.Request) throw new Error('data channel closed');
      return frame;
    };
    const result = await settle(h.clock, h.load(v, 0));
    expect(result).toMatchObject({ source: 'http', httpReason: 'peer-failed' });
    expect(v.stats().peers).toBe(0);
  });

  it('an honest peer, once it delivered, gets several requests at once and keeps its place', async () => {
    const h = new Harness(6, 50_000);
    const { v, peer: honest } = await viewerAndScriptedPeer(h, 'honest', serveTruly(h));
    expect((await settle(h.clock, h.load(v, 0))).source).toBe('p2p');
    const results = await Promise.all([h.load(v, 1), h.load(v, 2)].map((load) => settle(h.clock, load)));
    expect(results.map((r) => r.source)).toEqual(['p2p', 'p2p']);
    expect(honest.requests).toHaveLength(3);
    expect(v.stats().peers).toBe(1);
  });

  it('a proven peer slow to answer once (a busy device) keeps its place; silent maxPeerFailures times, it is out', async () => {
    const h = new Harness(10, 50_000);
    const truly = serveTruly(h);
    let silent = false;
    const { v } = await viewerAndScriptedPeer(h, 'busy', (request, send) => {
      if (!silent) truly(request, send);
    });
    const misbehaved: string[] = [];
    v.on('peer-misbehaved', (e) => misbehaved.push(e.code));
    expect((await settle(h.clock, h.load(v, 0))).source).toBe('p2p');
    silent = true;
    expect((await settle(h.clock, h.load(v, 1))).httpReason).toBe('peer-failed');
    expect(v.stats().peers).toBe(1);
    silent = false;
    await h.clock.advance(30_000); // past the slow verdict's 10 s
    expect((await settle(h.clock, h.load(v, 2))).source).toBe('p2p');
    silent = true;
    for (let seq = 3; seq < 9 && misbehaved.length === 0; seq++) {
      await settle(h.clock, h.load(v, seq));
      await h.clock.advance(30_000);
    }
    expect(misbehaved).toEqual(['unreliable']);
    expect(v.stats().peers).toBe(0);
  });
});
