import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  encodeMessage,
  FrameType,
  MAX_CHUNK_BYTES,
  MAX_FRAME_BYTES,
  RejectReason,
  type PeerMessage,
} from '../src/protocol/index.js';

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const segment = fc.record({ track: u16, seq: u32 });

const message: fc.Arbitrary<PeerMessage> = fc.oneof(
  fc.record({ type: fc.constant(FrameType.Handshake as const), version: fc.integer({ min: 1, max: 0xffff }), uploads: fc.boolean() }),
  fc.record({ type: fc.constant(FrameType.Have as const), segments: fc.array(segment, { minLength: 1, maxLength: 50 }) }),
  fc.record({ type: fc.constant(FrameType.Lost as const), segments: fc.array(segment, { minLength: 1, maxLength: 50 }) }),
  fc.record({
    type: fc.constant(FrameType.HaveRanges as const),
    ranges: fc.array(fc.record({ track: u16, from: fc.integer({ min: 0, max: 1_000_000 }), count: fc.integer({ min: 1, max: 100_000 }) }), {
      minLength: 1,
      maxLength: 20,
    }),
  }),
  fc.record({
    type: fc.constant(FrameType.Request as const),
    requestId: u32,
    segment,
    offset: fc.integer({ min: 0, max: 1_000_000 }),
    length: fc.integer({ min: 0, max: 1_000_000 }),
  }),
  fc.record({ type: fc.constant(FrameType.Cancel as const), requestId: u32 }),
  fc
    .record({ requestId: u32, totalSize: fc.integer({ min: 1, max: 10_000_000 }), a: fc.nat(), b: fc.nat() })
    .map(({ requestId, totalSize, a, b }) => {
      const offset = a % totalSize;
      const length = 1 + (b % (totalSize - offset));
      return { type: FrameType.Response as const, requestId, totalSize, offset, length };
    }),
  fc.record({
    type: fc.constant(FrameType.Data as const),
    requestId: u32,
    offset: fc.integer({ min: 0, max: 10_000_000 }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: MAX_CHUNK_BYTES }),
  }),
  fc.record({
    type: fc.constant(FrameType.Reject as const),
    requestId: u32,
    reason: fc.constantFrom(RejectReason.NotFound, RejectReason.Busy, RejectReason.UploadDisabled, RejectReason.BadRange),
  }),
);

function decodeOk(frame: Uint8Array): PeerMessage {
  const result = decodeMessage(frame);
  if (!result.ok) throw result.error;
  return result.message;
}

function errorCode(frame: Uint8Array): string {
  const result = decodeMessage(frame);
  expect(result.ok).toBe(false);
  return result.ok ? 'ok' : result.error.code;
}

describe('peer wire protocol', () => {
  it('round-trips every message type', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeOk(encodeMessage(m))).toEqual(m);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary bytes, and rejects with a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = decodeMessage(bytes);
        if (!result.ok) expect(result.error.name).toBe('ProtocolError');
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects every truncation and every extension of a valid command frame', () => {
    fc.assert(
      fc.property(
        message.filter((m) => m.type !== FrameType.Data),
        fc.integer({ min: 1, max: 4 }),
        (m, extra) => {
          const frame = encodeMessage(m);
          for (let cut = 0; cut < frame.length; cut++) expect(decodeMessage(frame.subarray(0, cut)).ok).toBe(false);
          const longer = new Uint8Array(frame.length + extra);
          longer.set(frame);
          expect(decodeMessage(longer).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names what is wrong with malformed frames', () => {
    expect(errorCode(new Uint8Array())).toBe('empty');
    expect(errorCode(Uint8Array.of(0x7f))).toBe('unknown-type');
    expect(errorCode(Uint8Array.of(FrameType.Handshake, 1, 2, 3, 4, 0, 1, 0))).toBe('bad-magic');
    const handshake = encodeMessage({ type: FrameType.Handshake, version: 1, uploads: true });
    handshake[7] = 2; // boolean byte out of range
    expect(errorCode(handshake)).toBe('bad-field');
    expect(errorCode(Uint8Array.of(FrameType.Have, 0, 0))).toBe('bad-field'); // zero entries
    expect(errorCode(Uint8Array.of(FrameType.Have, 0, 2, 0, 1, 0, 0, 0, 1))).toBe('truncated'); // says 2, has 1
    expect(errorCode(Uint8Array.of(FrameType.Data, 0, 0, 0, 1, 0, 0, 0, 0))).toBe('truncated'); // no payload
    expect(errorCode(new Uint8Array(MAX_FRAME_BYTES + 1).fill(FrameType.Data))).toBe('too-large');
    expect(errorCode(Uint8Array.of(FrameType.Reject, 0, 0, 0, 1, 99))).toBe('bad-field');
    const response = encodeMessage({ type: FrameType.Response, requestId: 1, totalSize: 10, offset: 0, length: 10 });
    response.set([0, 0, 0, 11], 13); // length beyond the segment
    expect(errorCode(response)).toBe('bad-field');
    expect(errorCode(Uint8Array.of(FrameType.HaveRanges, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).toBe('bad-field'); // empty range
  });

  it('refuses to encode what it could not decode', () => {
    expect(() => encodeMessage({ type: FrameType.Data, requestId: 1, offset: 0, bytes: new Uint8Array(MAX_CHUNK_BYTES + 1) })).toThrow(
      RangeError,
    );
    expect(() => encodeMessage({ type: FrameType.Cancel, requestId: -1 })).toThrow(RangeError);
    expect(() => encodeMessage({ type: FrameType.Have, segments: Array.from({ length: 1025 }, () => ({ track: 0, seq: 0 })) })).toThrow(
      RangeError,
    );
  });

  it('keeps segment bytes inside DATA frames: a payload that looks like a command stays data', () => {
    const fakeCommand = encodeMessage({ type: FrameType.Cancel, requestId: 7 });
    const decoded = decodeOk(encodeMessage({ type: FrameType.Data, requestId: 3, offset: 0, bytes: fakeCommand }));
    expect(decoded.type).toBe(FrameType.Data);
    expect(decoded.type === FrameType.Data && [...decoded.bytes]).toEqual([...fakeCommand]);
  });
});
