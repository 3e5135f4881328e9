import { describe, expect, it } from 'vitest';
import { FrameType, type EngineEvents, type SegmentResult, type SegmentVerifier } from '../src/index.js';
import { FetchLedger } from '../src/engine/fetch-ledger.js';
import { Harness, request, segmentBytes } from './engine-harness.js';
import { settle } from './integrity-helpers.js';

const ID = { track: 0, seq: 7 };

/** A ledger whose verdicts are written down, in order. */
function ledger() {
  const verdicts: string[] = [];
  const book = new FetchLedger(ID, {
    peersCorrupted: (id, peerIds, bytes) => verdicts.push(`corrupted ${id.seq} [${peerIds.join(',')}] ${bytes}`),
    peerBytesDropped: (id, bytes, code, detail) => verdicts.push(`dropped ${id.seq} ${bytes} ${code}: ${detail}`),
    peerLied: (peerId, detail) => verdicts.push(`lied ${peerId}: ${detail}`),
  });
  return { book, verdicts };
}

describe('fetch ledger', () => {
  it("the origin's copy bans exactly the senders whose bytes differ and the peers whose size claims differ", () => {
    const { book, verdicts } = ledger();
    const truth = Uint8Array.from({ length: 8 }, (_, i) => i);
    const received = truth.slice();
    received[6] = 99; // b's half is wrong
    book.claimSize('a', 8);
    book.claimSize('b', 8);
    book.claimSize('c', 9_000_000);
    book.recordBytes('a', 0, 4);
    book.recordBytes('b', 4, 4);
    book.reject({ blame: true }, () => received, 8);
    expect(verdicts).toEqual([]); // two senders: nobody is judged before the origin's copy
    book.settle(truth);
    expect(verdicts).toEqual(['corrupted 7 [b] 8', "lied c: claimed segment size 9000000, the origin's is 8"]);
    book.settle(truth);
    expect(verdicts).toHaveLength(2); // settled once
  });

  it('one blamed sender is banned at once, without keeping a copy of the bytes', () => {
    const { book, verdicts } = ledger();
    book.recordBytes('a', 0, 100);
    book.reject({ blame: true }, () => expect.unreachable('one sender needs no copy'), 100);
    expect(verdicts).toEqual(['corrupted 7 [a] 100']);
  });

  it('bytes dropped without blame say why with a typed code; suspects left when the fetch fails are dropped, nobody banned', () => {
    const { book, verdicts } = ledger();
    book.recordBytes('a', 0, 10);
    book.reject({ blame: false, code: 'size-dispute', detail: 'peers disagree' }, () => expect.unreachable('not kept'), 10);
    book.recordBytes('a', 0, 4);
    book.recordBytes('b', 4, 4);
    book.reject({ blame: true }, () => new Uint8Array(8), 8);
    book.closeUnsettled();
    expect(verdicts).toEqual(['dropped 7 10 size-dispute: peers disagree', 'corrupted 7 [] 8']);
  });
});

describe('segment fetch phases', () => {
  it("a holder whose request cannot even be sent is dropped ('send-failed') and another holder serves the segment", async () => {
    const h = new Harness(2, 50_000);
    const a = h.viewer('a');
    const b = h.viewer('b');
    const d = h.viewer('d');
    await h.clock.advance(50);
    for (const holder of [a, b]) await Promise.all([h.load(holder, 0), h.clock.advance(1000)]);
    const disconnected: Array<EngineEvents['peer-disconnected']> = [];
    d.on('peer-disconnected', (e) => disconnected.push(e));
    // a is asked first (joined first): its channel fails while the request is being sent, so
    // the failure is reported from inside the step that is starting the download.
    h.uplink('d', 'a').tamper = (frame) => {
      if (frame[0] === FrameType.Request) throw new Error('channel closing');
      return frame;
    };
    const load = h.load(d, 0);
    await h.clock.advance(1000);
    const result = await load;
    expect(result.bytes).toEqual(segmentBytes(0, 50_000));
    expect(result.source).toBe('p2p');
    expect(disconnected).toEqual([{ peerId: 'a', code: 'send-failed', detail: 'channel closing', peers: 1 }]);
    expect(d.stats()).toMatchObject({ p2pBytes: 50_000, httpBytes: 0 });
  });

  it('a verdict that comes after the load was aborted delivers nothing', async () => {
    const h = new Harness(2, 50_000);
    let verdict: ((v: 'ok') => void) | undefined;
    const verifier: SegmentVerifier = { verify: () => new Promise((resolve) => (verdict = resolve)) };
    const a = h.viewer('a');
    const b = h.viewer('b', {}, verifier);
    await h.clock.advance(50);
    await Promise.all([h.load(a, 0), h.clock.advance(1000)]);
    const outcomes: string[] = [];
    b.on('segment-loaded', () => outcomes.push('segment-loaded'));
    const abort = b.load(request(0), {
      onProgress: () => {},
      onSuccess: (r: SegmentResult) => outcomes.push(`success ${r.source}`),
      onError: (e) => outcomes.push(`error ${e.message}`),
    });
    await h.clock.advance(1000);
    expect(verdict).toBeDefined(); // every byte came from a: being verified
    abort();
    verdict!('ok');
    await h.clock.advance(1000);
    expect(outcomes).toEqual([]);
    expect(b.stats()).toMatchObject({ p2pBytes: 50_000, abandonedBytes: 50_000, segmentsFromPeers: 0 });
  });

  it("unverifiable peer bytes are dropped with the code 'unverifiable'", async () => {
    const h = new Harness(2, 50_000);
    const a = h.viewer('a');
    const b = h.viewer('b', {}, { verify: async () => 'unverifiable' });
    const dropped: Array<EngineEvents['peer-bytes-dropped']> = [];
    b.on('peer-bytes-dropped', (e) => dropped.push(e));
    await h.clock.advance(50);
    await settle(h.clock, h.load(a, 1));
    await h.clock.advance(50);
    expect((await settle(h.clock, h.load(b, 1))).source).toBe('http');
    expect(dropped).toEqual([
      { id: { track: 0, seq: 1 }, bytes: 50_000, code: 'unverifiable', detail: 'the hash manifest does not list it (yet)' },
    ]);
  });

  it("a peer that breaks the protocol is reported with its misbehaviour code and disconnected as 'banned'", async () => {
    const h = new Harness(2, 50_000);
    h.viewer('a');
    const b = h.viewer('b');
    const events: string[] = [];
    b.on('peer-misbehaved', (e) => events.push(`misbehaved ${e.peerId} ${e.code}`));
    b.on('peer-disconnected', (e) => events.push(`disconnected ${e.peerId} ${e.code} (${e.detail.split(':')[0]})`));
    await h.clock.advance(50);
    h.uplink('a', 'b').send(new Uint8Array([0xee]));
    await h.clock.advance(50);
    expect(events).toEqual(['misbehaved a malformed-frame', 'disconnected a banned (malformed-frame)']);
  });
});
