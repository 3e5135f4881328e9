// Property tests: random and mutated messages never throw out of the message handler and keep
// the registry consistent; random bytes never throw out of the frame parser or report parser.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/fields.js';
import { Counters } from '../src/swarm/counters.js';
import { MessageHandler } from '../src/swarm/handler.js';
import { Registry } from '../src/swarm/registry.js';
import { parseReport } from '../src/stats/report.js';
import { withCpuBudget } from '@shoal/test-kit';
import { trackerProperty, wsBytesProperty, wsReasonsSeen } from './fuzz-targets.js';
import { fakeClient } from './fake-outbox.js';

function setup() {
  const cfg = { ...defaultConfig(), messagesPerSecond: 1_000_000, messageBurst: 1_000_000, maxPeersPerSwarm: 5, maxSwarmsPerConnection: 3 };
  const registry = new Registry(1000, 60_000);
  const counters = new Counters();
  const errors: unknown[] = [];
  const handler = new MessageHandler(cfg, registry, counters, (err) => errors.push(err));
  const conns = [0, 1, 2].map(() => fakeClient(cfg.messageBurst));
  return { registry, counters, errors, handler, conns };
}

function consistent(registry: Registry): void {
  let total = 0;
  for (const [ih, s] of registry.swarms) {
    expect(s.infoHash).toBe(ih);
    expect(s.list.length).toBeGreaterThan(0);
    expect(s.peers.size).toBe(s.list.length);
    s.list.forEach((m, i) => {
      expect(m.index).toBe(i);
      expect(s.peers.get(m.peerId)).toBe(m);
      expect(m.client.members).toContain(m);
    });
    expect(s.complete).toBe(s.list.filter((m) => m.complete).length);
    total += s.list.length;
  }
  expect(registry.peerCount).toBe(total);
}

// A small pool of ids so that messages collide: same swarms, same peers, real relays.
const ids = ['a'.repeat(20), 'b'.repeat(20), '\u0000\u00ff'.repeat(10), 'ÿ'.repeat(20)];
const id = fc.oneof(
  fc.constantFrom(...ids),
  fc.string({ minLength: 19, maxLength: 21 }),
  fc.constant('Ā'.repeat(20)),
  fc.integer(),
  fc.constant(null),
);
const desc = (type: string) =>
  fc.oneof(fc.record({ type: fc.constantFrom(type, 'offer', 'answer', 'x'), sdp: fc.oneof(fc.string(), fc.integer()) }), fc.anything());
const message = fc.record(
  {
    action: fc.oneof(fc.constantFrom('announce', 'scrape'), fc.anything()),
    info_hash: fc.oneof(id, fc.array(id, { maxLength: 40 })),
    peer_id: id,
    to_peer_id: id,
    offer_id: id,
    event: fc.oneof(fc.constantFrom('started', 'stopped', 'completed', 'update', 'paused', 'empty'), fc.anything()),
    numwant: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.anything()),
    left: fc.oneof(fc.constant(0), fc.integer(), fc.anything()),
    offers: fc.oneof(fc.array(fc.record({ offer: desc('offer'), offer_id: id }, { requiredKeys: [] }), { maxLength: 12 }), fc.anything()),
    answer: desc('answer'),
    token: fc.oneof(fc.string(), fc.anything()),
  },
  { requiredKeys: [] },
);

describe('message handler never throws', () => {
  it('on structured random messages from several connections', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), message), { minLength: 1, maxLength: 30 }), (steps) => {
        const { registry, counters, errors, handler, conns } = setup();
        for (const [who, m] of steps) handler.onMessage(conns[who]!, JSON.stringify(m) ?? 'null');
        expect(errors).toEqual([]);
        expect(counters.rejections.get('internal_error')).toBeUndefined();
        consistent(registry);
        for (const c of conns) registry.leaveAll(c, 0);
        expect(registry.swarms.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary text and mutated valid messages', () => {
    const valid = JSON.stringify({
      action: 'announce',
      info_hash: ids[0],
      peer_id: ids[1],
      event: 'started',
      offers: [{ offer: { type: 'offer', sdp: 'x' }, offer_id: ids[2] }],
    });
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length), fc.nat(3), fc.string({ maxLength: 3 })), { maxLength: 6 })
      .map((edits) => edits.reduce((s, [at, del, ins]) => s.slice(0, at) + ins + s.slice(at + del), valid));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.json(), mutated), { maxLength: 20 }), (texts) => {
        const { registry, errors, handler, conns } = setup();
        texts.forEach((t, i) => handler.onMessage(conns[i % 3]!, t));
        expect(errors).toEqual([]);
        consistent(registry);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parsers never throw', () => {
  it('WebSocket parser on random bytes, frames and fragmented messages, reaching every limit', async () => {
    await fc.assert(wsBytesProperty, { numRuns: 400 });
    // The generated streams cross the limits, not only the happy path.
    for (const reason of ['bad_frame', 'bad_utf8', 'binary_message', 'message_too_big', 'too_many_parts'] as const)
      expect(wsReasonsSeen.get(reason) ?? 0).toBeGreaterThan(0);
  });

  it('stats report parser on random JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        const r = parseReport(text);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

// Short runs of the long fuzz targets (npm run fuzz), each case within its CPU budget.
describe('hostile input costs no more than its CPU budget (short fuzz)', () => {
  it('tracker message handler', () => fc.assert(withCpuBudget(trackerProperty), { numRuns: 300 }));
  it('tracker WebSocket frame parser', () => fc.assert(withCpuBudget(wsBytesProperty), { numRuns: 300 }));
});
