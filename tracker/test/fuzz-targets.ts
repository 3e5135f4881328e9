/**
 * Fuzz targets for what the tracker receives: WebSocket bytes into a connection's frame parser,
 * and client messages (well-formed, near-valid, arbitrary) into the message handler, from several
 * connections sharing swarms. Shared by the short unit runs and the long `npm run fuzz`.
 */
import fc from 'fast-check';
import { defaultConfig } from '../src/config/fields.js';
import { Counters } from '../src/swarm/counters.js';
import { MessageHandler } from '../src/swarm/handler.js';
import type { Client } from '../src/swarm/client.js';
import { Registry } from '../src/swarm/registry.js';
import type { Violation, WsContext } from '../src/ws/connection.js';
import { fakeConn, type FakeConn } from './fake-conn.js';
import { fakeClient } from './fake-outbox.js';

// Small enough that generated conversations reach them.
const LIMITS = {
  maxPeersPerSwarm: 6,
  maxSwarmsPerConnection: 3,
  maxSwarms: 50,
  maxOffersPerAnnounce: 5,
  maxScrapeHashes: 8,
  maxPendingOffersPerPeer: 4,
};

export interface TrackerState {
  readonly registry: Registry;
  readonly counters: Counters;
  readonly handler: MessageHandler;
  readonly conns: Client[];
  readonly errors: unknown[];
}

export function trackerState(connections = 4): TrackerState {
  const cfg = { ...defaultConfig(), messagesPerSecond: 1_000_000, messageBurst: 1_000_000, ...LIMITS };
  const registry = new Registry(1000, 60_000);
  const counters = new Counters();
  const errors: unknown[] = [];
  const handler = new MessageHandler(cfg, registry, counters, (error) => errors.push(error));
  return { registry, counters, handler, conns: Array.from({ length: connections }, () => fakeClient(cfg.messageBurst)), errors };
}

/** The registry's books balance, and stay within the configured limits. */
export function checkTracker(state: TrackerState): void {
  if (state.errors.length > 0) throw state.errors[0];
  if (state.counters.rejections.get('internal_error') !== undefined) throw new Error('internal_error counted');
  let total = 0;
  if (state.registry.swarms.size > LIMITS.maxSwarms) throw new Error(`${state.registry.swarms.size} swarms`);
  for (const [infoHash, swarm] of state.registry.swarms) {
    if (swarm.infoHash !== infoHash || swarm.list.length === 0 || swarm.peers.size !== swarm.list.length)
      throw new Error('swarm books do not balance');
    if (swarm.list.length > LIMITS.maxPeersPerSwarm) throw new Error(`swarm of ${swarm.list.length}`);
    swarm.list.forEach((member, i) => {
      if (member.index !== i || swarm.peers.get(member.peerId) !== member || !member.client.members?.includes(member))
        throw new Error('member books do not balance');
    });
    if (swarm.complete !== swarm.list.filter((m) => m.complete).length) throw new Error('complete count is off');
    total += swarm.list.length;
  }
  if (state.registry.peerCount !== total) throw new Error('peer count is off');
  for (const conn of state.conns)
    if ((conn.members?.length ?? 0) > LIMITS.maxSwarmsPerConnection) throw new Error('too many swarms on one connection');
}

// Few ids, so messages collide: same swarms, same peers, relays between them.
const IDS = ['a'.repeat(20), 'b'.repeat(20), '\u0000\u00ff'.repeat(10), 'c'.repeat(20), 'd'.repeat(20)];
const id = fc.oneof(
  { arbitrary: fc.constantFrom(...IDS), weight: 6 },
  { arbitrary: fc.string({ minLength: 19, maxLength: 21 }), weight: 1 },
  { arbitrary: fc.constantFrom('Ā'.repeat(20), '', 'x'), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.nat(255), { maxLength: 20 })), weight: 1 },
);
const description = (type: string) =>
  fc.oneof(
    {
      arbitrary: fc.record({
        type: fc.constantFrom(type, 'offer', 'answer', 'pranswer'),
        sdp: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('v=0\r\n'.repeat(10))),
      }),
      weight: 4,
    },
    { arbitrary: fc.anything(), weight: 1 },
  );

const structured = fc.record(
  {
    action: fc.oneof({ arbitrary: fc.constantFrom('announce', 'scrape'), weight: 8 }, { arbitrary: fc.anything(), weight: 1 }),
    info_hash: fc.oneof({ arbitrary: id, weight: 6 }, { arbitrary: fc.array(id, { maxLength: 60 }), weight: 1 }),
    peer_id: id,
    to_peer_id: id,
    offer_id: id,
    event: fc.oneof(
      { arbitrary: fc.constantFrom('started', 'stopped', 'completed', 'update', 'paused', 'empty'), weight: 6 },
      { arbitrary: fc.anything(), weight: 1 },
    ),
    numwant: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.anything()),
    left: fc.oneof(fc.constant(0), fc.integer(), fc.anything()),
    uploaded: fc.oneof(fc.nat(), fc.anything()),
    offers: fc.oneof(
      { arbitrary: fc.array(fc.record({ offer: description('offer'), offer_id: id }, { requiredKeys: [] }), { maxLength: 12 }), weight: 4 },
      { arbitrary: fc.anything(), weight: 1 },
    ),
    answer: description('answer'),
    token: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
  },
  { requiredKeys: [] },
);

const VALID = [
  {
    action: 'announce',
    info_hash: IDS[0],
    peer_id: IDS[1],
    event: 'started',
    numwant: 5,
    offers: [{ offer: { type: 'offer', sdp: 'v=0' }, offer_id: IDS[3] }],
  },
  { action: 'announce', info_hash: IDS[0], peer_id: IDS[3], to_peer_id: IDS[1], offer_id: IDS[3], answer: { type: 'answer', sdp: 'v=0' } },
  { action: 'scrape', info_hash: [IDS[0], IDS[2]] },
].map((m) => JSON.stringify(m));
const nearValid = fc
  .tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(400), fc.nat(4), fc.string({ maxLength: 4 })), { maxLength: 6 }))
  .map(([text, edits]) =>
    edits.reduce((s, [at, del, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice((at % (s.length + 1)) + del), text),
  );

/** Text a client could send: mostly protocol-shaped, some damaged, some arbitrary. */
export const trackerText = fc.oneof(
  { arbitrary: structured.map((m) => JSON.stringify(m) ?? 'null'), weight: 6 },
  { arbitrary: nearValid, weight: 3 },
  { arbitrary: fc.oneof(fc.string({ maxLength: 80 }), fc.json({ maxDepth: 3 })), weight: 1 },
);

/** One case: a conversation of up to 25 messages over 4 connections, some of which drop. */
export const trackerScript = fc.array(fc.tuple(fc.nat(3), trackerText, fc.nat(30)), { minLength: 1, maxLength: 25 });

export function runTrackerScript(steps: Array<[number, string, number]>): void {
  const state = trackerState();
  for (const [who, text, dice] of steps) {
    const conn = state.conns[who]!;
    if (dice === 0)
      state.registry.leaveAll(conn, 0); // the connection went away
    else state.handler.onMessage(conn, text);
  }
  checkTracker(state);
  for (const conn of state.conns) state.registry.leaveAll(conn, 0);
  if (state.registry.swarms.size !== 0 || state.registry.peerCount !== 0) throw new Error('swarms left after every connection closed');
}

export const trackerProperty = fc.property(trackerScript, runTrackerScript);

// The frame parser's limits, small enough that generated streams cross them.
const WS_LIMITS = {
  maxMessageBytes: 1024,
  maxFramesPerMessage: 4,
  maxChunksPerFrame: 16,
  messageTimeoutMs: 60_000,
  maxBufferedBytes: 1 << 16,
};

/** A client frame: any first byte (FIN, RSV, opcode), masked or not, any length encoding. */
const wsFrame = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.constantFrom(0x81, 0x82, 0x01, 0x00, 0x80, 0x89, 0x8a, 0x88), weight: 6 },
      { arbitrary: fc.nat(255), weight: 1 },
    ),
    fc.oneof({ arbitrary: fc.constant(true), weight: 6 }, { arbitrary: fc.constant(false), weight: 1 }),
    fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 100, maxLength: 700 }), fc.constant(new Uint8Array())),
    fc.constantFrom(0, 0, 0, 126, 127, -1),
  )
  .map(([first, masked, payload, lengthForm]) => {
    const header: number[] = [first];
    const len = payload.length;
    if (lengthForm === 126 || (lengthForm === 0 && len > 125)) header.push((masked ? 0x80 : 0) | 126, len >> 8, len & 0xff);
    else if (lengthForm === 127) header.push((masked ? 0x80 : 0) | 127, 0, 0, 0, 0, 0, 0, len >> 8, len & 0xff);
    else if (lengthForm === -1)
      header.push((masked ? 0x80 : 0) | 127, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0); // absurd length
    else header.push((masked ? 0x80 : 0) | len);
    const mask = masked ? [1, 2, 3, 4] : [];
    return Uint8Array.from([...header, ...mask, ...payload.map((b, i) => b ^ mask[i % 4]!)]);
  });
/** A text message in 1 to 8 fragments (past maxFramesPerMessage), some of them empty. */
const fragmented = fc
  .array(fc.oneof(fc.constant(''), fc.string({ maxLength: 300 })), { minLength: 1, maxLength: 8 })
  .map((parts) =>
    Buffer.concat(parts.map((part, i) => maskedFrame((i === parts.length - 1 ? 0x80 : 0) | (i === 0 ? 0x1 : 0x0), Buffer.from(part)))),
  );
/** A stream as socket reads: frames and random bytes, and some of them split into many reads. */
const wsStream = fc.array(
  fc.tuple(
    fc.oneof(
      { arbitrary: wsFrame, weight: 4 },
      { arbitrary: fragmented, weight: 2 },
      { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
    ),
    fc.constantFrom(0, 0, 1, 7, 64),
  ),
  { maxLength: 24 },
);

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function maskedFrame(first: number, payload: Buffer): Buffer {
  const len = payload.length;
  const header = len < 126 ? [first, 0x80 | len] : [first, 0x80 | 126, len >> 8, len & 0xff];
  return Buffer.concat([Buffer.from(header), Buffer.alloc(4), payload]); // zero mask: payload as is
}

/** How often each close reason came up across runs: shows that generated streams reach the limits. */
export const wsReasonsSeen = new Map<Violation, number>();

/**
 * Any byte stream leaves the connection either open with only whole, valid, small-enough text
 * messages delivered, or closed for a named reason; nothing is delivered after a violation.
 */
export const wsBytesProperty = fc.asyncProperty(wsStream, async (stream) => {
  const delivered: string[] = [];
  const violations: Violation[] = [];
  const ctx: WsContext = {
    ...WS_LIMITS,
    onMessage: (_c, text) => {
      if (violations.length > 0) throw new Error(`message delivered after ${violations[0]}`);
      delivered.push(text);
    },
    onClose: () => undefined,
    onViolation: (_c, reason) => {
      violations.push(reason);
      wsReasonsSeen.set(reason, (wsReasonsSeen.get(reason) ?? 0) + 1);
    },
  };
  const fake: FakeConn = fakeConn(ctx);
  try {
    // Writes are flushed once per turn of the event loop: a turn after each entry lets them out,
    // as between socket reads.
    for (const [bytes, split] of stream) {
      if (split === 0) fake.input(bytes);
      else for (let i = 0; i < bytes.length; i += split) fake.input(bytes.subarray(i, i + split));
      await nextTurn();
    }
    for (const text of delivered)
      if (Buffer.byteLength(text) > WS_LIMITS.maxMessageBytes) throw new Error(`delivered ${Buffer.byteLength(text)} bytes`);
    if (violations.length > 1) throw new Error(`violations counted twice: ${violations.join(', ')}`);
  } finally {
    fake.dispose();
  }
});
