/**
 * Fuzz targets for what a viewer receives from other viewers: the wire protocol decoder, and a
 * Peer (the engine's per-connection state machine) fed random and near-valid frame sequences.
 * Shared by the short unit runs and the long `npm run fuzz`.
 */
import fc from 'fast-check';
import {
  decodeMessage,
  encodeMessage,
  FrameType,
  MAX_CHUNK_BYTES,
  MAX_ENTRIES_PER_FRAME,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  RejectReason,
  type PeerMessage,
} from '../../src/protocol/index.js';
import { MAX_AVAILABILITY_RUNS } from '../../src/engine/availability.js';
import { DEFAULT_ENGINE_CONFIG } from '../../src/engine/config.js';
import { MAX_PLAUSIBLE_RUN, Peer } from '../../src/engine/peer.js';
import type { PeerTransport } from '../../src/io/interfaces.js';
import { FakeClock } from '../../src/sim/fake-clock.js';

// Small id spaces so that random messages hit live state: known requests, held segments.
const requestId = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 0xffff_ffff }));
const segment = fc.record({
  track: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 0xffff })),
  seq: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 0xffff_ffff })),
});

// The real limits, so that generated frames reach them: availability per peer, entries per frame.
const { maxAvailability: MAX_AVAILABILITY, peerReceiveBudget: RECEIVE_BUDGET } = DEFAULT_ENGINE_CONFIG;

/** Lists of 1 to 1024 (the protocol's cap): mostly short, now and then as long as a frame may hold. */
const entries = <T>(item: fc.Arbitrary<T>) =>
  fc.oneof(
    { arbitrary: fc.array(item, { minLength: 1, maxLength: 40 }), weight: 4 },
    { arbitrary: fc.array(item, { minLength: MAX_ENTRIES_PER_FRAME - 24, maxLength: MAX_ENTRIES_PER_FRAME, size: 'max' }), weight: 1 },
  );

/** Range counts: small, around the availability bound and the plausibility bound, or anything up to 2^32 - 1. */
const rangeCount = fc.oneof(
  fc.integer({ min: 1, max: 100 }),
  fc.integer({ min: MAX_AVAILABILITY - 2, max: MAX_AVAILABILITY + 2 }),
  fc.integer({ min: MAX_PLAUSIBLE_RUN - 2, max: MAX_PLAUSIBLE_RUN + 2 }),
  fc.integer({ min: 1, max: 0xffff_ffff }),
  fc.constant(0xffff_ffff),
);
const range = fc
  .record({
    track: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffff })),
    from: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constant(0)),
    count: rangeCount,
  })
  .map((r) => ({ ...r, count: Math.min(r.count, 0x1_0000_0000 - r.from) }));

/** Well-formed messages of every type (encodable), biased towards the peer's live state. */
export const peerMessage: fc.Arbitrary<PeerMessage> = fc.oneof(
  fc.record({ type: fc.constant(FrameType.Handshake as const), version: fc.integer({ min: 1, max: 0xffff }), uploads: fc.boolean() }),
  fc.record({ type: fc.constantFrom(FrameType.Have as const, FrameType.Lost as const), segments: entries(segment) }),
  fc.record({ type: fc.constant(FrameType.HaveRanges as const), ranges: entries(range) }),
  fc.record({
    type: fc.constant(FrameType.Request as const),
    requestId,
    segment,
    offset: fc.integer({ min: 0, max: 100_000 }),
    length: fc.integer({ min: 0, max: 100_000 }),
  }),
  fc.record({ type: fc.constant(FrameType.Cancel as const), requestId }),
  fc
    .record({ requestId, totalSize: fc.integer({ min: 1, max: 70_000 }), a: fc.nat(), b: fc.nat() })
    .map(({ requestId: id, totalSize, a, b }) => {
      const offset = a % totalSize;
      return { type: FrameType.Response as const, requestId: id, totalSize, offset, length: 1 + (b % (totalSize - offset)) };
    }),
  fc.record({
    type: fc.constant(FrameType.Data as const),
    requestId,
    offset: fc.integer({ min: 0, max: 70_000 }),
    bytes: fc.oneof(
      { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 2048 }), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: MAX_CHUNK_BYTES }).map((n) => new Uint8Array(n)), weight: 1 },
    ),
  }),
  fc.record({
    type: fc.constant(FrameType.Reject as const),
    requestId,
    reason: fc.constantFrom(RejectReason.NotFound, RejectReason.Busy, RejectReason.UploadDisabled, RejectReason.BadRange),
  }),
);

/** A valid frame damaged: bit flips, cut, extended, bytes overwritten, type byte swapped. */
const mutated: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    peerMessage.map((m) => encodeMessage(m)),
    fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
    fc.constantFrom('flip', 'cut', 'extend', 'retype', 'none'),
    fc.nat(),
  )
  .map(([frame, edits, how, n]) => {
    let out = frame.slice();
    for (const [at, value] of edits) if (out.length > 0) out[at % out.length] = value;
    if (how === 'cut') out = out.subarray(0, n % (out.length + 1));
    if (how === 'extend') {
      const longer = new Uint8Array(out.length + 1 + (n % 64));
      longer.set(out);
      out = longer;
    }
    if (how === 'retype' && out.length > 0) out[0] = [0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12, 0x13, 0x14][n % 9]!;
    return out;
  });

/** Anything a data channel could deliver: random bytes (up to past the frame limit), damaged frames, valid ones. */
export const anyFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 64 }), weight: 3 },
  { arbitrary: fc.uint8Array({ minLength: MAX_FRAME_BYTES - 8, maxLength: MAX_FRAME_BYTES + 8 }), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(1, 2, 3, 4, 0x10, 0x11, 0x12, 0x13, 0x14), fc.uint8Array({ maxLength: 40 }))
      .map(([t, rest]) => Uint8Array.of(t, ...rest)),
    weight: 3,
  },
  { arbitrary: mutated, weight: 4 },
  { arbitrary: peerMessage.map((m) => encodeMessage(m)), weight: 3 },
);

/**
 * The decoder never throws, and what it accepts is a message that encodes back to the same
 * bytes (so it only ever hands the engine values inside the protocol's limits).
 */
export const decoderProperty = fc.property(anyFrame, (frame) => {
  const result = decodeMessage(frame);
  if (!result.ok) return;
  const again = encodeMessage(result.message); // must not throw: the decoder only accepts encodable values
  if (again.length !== frame.length || again.some((b, i) => b !== frame[i])) {
    throw new Error(`decoded frame does not re-encode to the same bytes (type ${frame[0]})`);
  }
});

type Action =
  | { kind: 'frame'; bytes: Uint8Array }
  | { kind: 'download'; track: number; seq: number; offset: number; length: number }
  | { kind: 'cancel'; index: number }
  | { kind: 'announce'; seqs: number[] }
  | { kind: 'tick'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: anyFrame.map((bytes) => ({ kind: 'frame' as const, bytes })), weight: 8 },
  {
    arbitrary: fc.record({
      kind: fc.constant('download' as const),
      track: fc.integer({ min: 0, max: 2 }),
      seq: fc.integer({ min: 0, max: 5 }),
      offset: fc.integer({ min: 0, max: 40_000 }),
      length: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 70_000 })),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), index: fc.nat(8) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('announce' as const), seqs: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 5 }) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 200 }) }), weight: 2 },
);

/** A handshake first (usually), then a script of frames and local calls. */
export const peerScript = fc.tuple(
  fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
  fc.boolean(),
  fc.array(action, { maxLength: 40 }),
);

/** A transport that records what the peer sends; frames come in through `deliver`. */
class ScriptTransport implements PeerTransport {
  readonly remoteId = 'remote';
  readonly initiator = true;
  sent = 0;
  closed = false;
  private frameListener: ((frame: Uint8Array) => void) | undefined;
  private closeListener: ((detail?: string) => void) | undefined;
  get bufferedAmount(): number {
    return 0;
  }
  send(frame: Uint8Array): void {
    if (this.closed) throw new Error('send after close');
    if (frame.length > MAX_FRAME_BYTES) throw new Error(`peer sent an oversized frame of ${frame.length}`);
    if (!decodeMessage(frame).ok) throw new Error('peer sent a frame its own decoder rejects');
    this.sent++;
  }
  onFrame(listener: (frame: Uint8Array) => void): void {
    this.frameListener = listener;
  }
  onClose(listener: (detail?: string) => void): void {
    this.closeListener = listener;
  }
  close(): void {
    this.closed = true;
  }
  deliver(frame: Uint8Array): void {
    if (!this.closed) this.frameListener?.(frame);
  }
  remoteClose(): void {
    this.closeListener?.('remote closed');
  }
}

/**
 * A Peer fed any script: no exception escapes; every download ends exactly once, its bytes arrive
 * in order and within what the response announced; state stays within its limits; closing leaves
 * no timer behind.
 */
export async function runPeerScript([handshakeFirst, uploads, actions]: [boolean, boolean, Action[]]): Promise<void> {
  const clock = new FakeClock();
  const transport = new ScriptTransport();
  const held = new Map<string, Uint8Array>([
    ['0:1', new Uint8Array(40_000).fill(1)],
    ['1:2', new Uint8Array(70_000).fill(2)],
  ]);
  const peer = new Peer(
    transport,
    clock,
    {
      segment: (id) => held.get(`${id.track}:${id.seq}`),
      uploadsEnabled: () => uploads,
      uploadDelayMs: () => 0,
      uploaded: () => {},
    },
    { maxAvailability: MAX_AVAILABILITY, maxConcurrentUploads: 3, peerReceiveBudget: RECEIVE_BUDGET },
  );
  let misbehaved = false;
  peer.on('misbehaved', () => (misbehaved = true));
  peer.start(uploads, [{ track: 0, seq: 1 }]);
  if (handshakeFirst) transport.deliver(encodeMessage({ type: FrameType.Handshake, version: PROTOCOL_VERSION, uploads: true }));
  interface Download {
    ended: number;
    next: number;
    end: number | undefined;
    cancel: () => void;
  }
  const downloads: Download[] = [];
  for (const step of actions) {
    switch (step.kind) {
      case 'frame':
        transport.deliver(step.bytes);
        break;
      case 'download': {
        const d: Download = { ended: 0, next: step.offset, end: undefined, cancel: () => {} };
        d.cancel = peer.download({ track: step.track, seq: step.seq }, step.offset, step.length, {
          onResponse: (totalSize) => {
            if (d.end !== undefined) throw new Error('second response for one download');
            d.end = step.length === 0 ? totalSize : Math.min(totalSize, step.offset + step.length);
          },
          onChunk: (offset, bytes) => {
            if (d.ended) throw new Error('chunk after the download ended');
            if (d.end === undefined || offset !== d.next || offset + bytes.length > d.end)
              throw new Error(`chunk ${offset}+${bytes.length} out of place`);
            d.next += bytes.length;
          },
          onDone: () => {
            d.ended++;
            if (d.next !== d.end) throw new Error('done before the announced end');
          },
          onFail: () => void d.ended++,
        });
        downloads.push(d);
        break;
      }
      case 'cancel':
        downloads[step.index % Math.max(1, downloads.length)]?.cancel();
        break;
      case 'announce':
        peer.announce(step.seqs.map((seq) => ({ track: 0, seq })));
        break;
      case 'tick':
        await clock.advance(step.ms);
        break;
    }
    if (misbehaved && peer.isReady) throw new Error('a peer that misbehaved is still ready');
    const available = (peer as unknown as { available: { size: number; runCount: number } }).available;
    if (available.size > MAX_AVAILABILITY) throw new Error(`availability grew to ${available.size} segments`);
    if (available.runCount > MAX_AVAILABILITY_RUNS) throw new Error(`availability grew to ${available.runCount} runs`);
  }
  peer.close('shutdown', 'fuzz case over');
  transport.remoteClose();
  await clock.advance(1000);
  for (const d of downloads) if (d.ended > 1) throw new Error(`a download ended ${d.ended} times`);
  if (clock.pendingTimers !== 0) throw new Error(`${clock.pendingTimers} timers left after close`);
}

export const peerProperty = fc.asyncProperty(peerScript, runPeerScript);
