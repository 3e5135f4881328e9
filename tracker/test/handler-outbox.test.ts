// The swarm side on in-memory outboxes: no sockets, the handler reaches clients only by outbox.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/fields.js';
import { Counters } from '../src/swarm/counters.js';
import { MessageHandler } from '../src/swarm/handler.js';
import { Registry } from '../src/swarm/registry.js';
import { CloseCode } from '../src/ws/frame-parser.js';
import { fakeClient } from './fake-outbox.js';

const HASH = 'h'.repeat(20);
const announce = (peer: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ action: 'announce', info_hash: HASH, peer_id: peer, event: 'started', numwant: 5, ...extra });

function setup(cfg = defaultConfig()) {
  const registry = new Registry(100, 60_000);
  const counters = new Counters();
  return { registry, counters, handler: new MessageHandler(cfg, registry, counters) };
}

describe('message handler on outboxes', () => {
  it('relays an offer to the other member and its answer back, each to its own outbox', () => {
    const { handler } = setup();
    const a = fakeClient();
    const b = fakeClient();
    const offer = { type: 'offer', sdp: 'v=0' };
    handler.onMessage(a, announce('a'.repeat(20)));
    handler.onMessage(b, announce('b'.repeat(20), { offers: [{ offer, offer_id: 'o'.repeat(20) }] }));
    expect(a.outbox.sent.at(-1)).toMatchObject({ action: 'announce', offer, offer_id: 'o'.repeat(20), peer_id: 'b'.repeat(20) });
    const answer = { type: 'answer', sdp: 'v=0' };
    handler.onMessage(
      a,
      JSON.stringify({
        action: 'announce',
        info_hash: HASH,
        peer_id: 'a'.repeat(20),
        to_peer_id: 'b'.repeat(20),
        offer_id: 'o'.repeat(20),
        answer,
      }),
    );
    expect(b.outbox.sent.at(-1)).toMatchObject({ action: 'announce', answer, offer_id: 'o'.repeat(20), peer_id: 'a'.repeat(20) });
  });

  it("sends a member's offers to the members it does not hold connections to (held_peers)", () => {
    // Ten fresh swarms of 8: without the hint each offer would reach the one member missing from
    // the sender's connections 1 time in 7.
    for (let trial = 0; trial < 10; trial++) {
      const { handler } = setup();
      const ids = Array.from({ length: 8 }, (_, i) => String.fromCharCode(97 + i).repeat(20));
      const clients = ids.map((id) => {
        const c = fakeClient();
        handler.onMessage(c, announce(id, { numwant: 0 }));
        return c;
      });
      const held = ids.slice(1, 7).map((id) => Buffer.from(id, 'latin1').toString('hex'));
      const offer = { type: 'offer', sdp: 'v=0' };
      handler.onMessage(
        clients[0]!,
        announce(ids[0]!, { event: 'update', held_peers: held, offers: [{ offer, offer_id: 'o'.repeat(20) }] }),
      );
      expect(clients[7]!.outbox.sent.at(-1)).toMatchObject({ offer, peer_id: ids[0] });
      for (const c of clients.slice(1, 7)) expect(c.outbox.sent.some((m) => 'offer' in (m as object))).toBe(false);
    }
  });

  it('closes the outbox of a client that keeps sending past its rate limit (1008)', () => {
    const { handler, counters } = setup({ ...defaultConfig(), messagesPerSecond: 1, messageBurst: 2 });
    const c = fakeClient(2);
    for (let i = 0; i < 10 && c.outbox.closedWith === undefined; i++) handler.onMessage(c, '{}');
    expect(c.outbox.closedWith).toEqual({ code: CloseCode.PolicyViolation, reason: 'rate limit' });
    expect(counters.rejections.get('rate_limited_disconnect')).toBe(1);
  });

  it('a peer_id stays with the client that announced it first; another client is refused', () => {
    const { handler, registry } = setup();
    const a = fakeClient();
    const b = fakeClient();
    handler.onMessage(a, announce('a'.repeat(20)));
    handler.onMessage(b, announce('a'.repeat(20)));
    expect(b.outbox.sent.at(-1)).toMatchObject({ 'failure reason': 'peer_id is in use by another connection' });
    expect(registry.swarms.get(HASH)?.peers.get('a'.repeat(20))?.client).toBe(a);
    registry.leaveAll(a, 0);
    expect(registry.peerCount).toBe(0);
  });
});
