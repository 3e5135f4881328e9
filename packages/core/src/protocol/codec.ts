import {
  FrameType,
  MAX_CHUNK_BYTES,
  MAX_ENTRIES_PER_FRAME,
  MAX_SEGMENT_BYTES,
  PROTOCOL_MAGIC,
  RejectReason,
  type PeerMessage,
  type SegmentId,
  type SegmentRange,
} from './messages.js';

/** Why a frame could not be decoded. Codes are stable; messages are for logs. */
export type ProtocolErrorCode = 'empty' | 'unknown-type' | 'truncated' | 'trailing-bytes' | 'bad-magic' | 'bad-field' | 'too-large';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type DecodeResult = { ok: true; message: PeerMessage } | { ok: false; error: ProtocolError };

/** Largest frame any valid message can produce; a transport may drop anything bigger unread. */
export const MAX_FRAME_BYTES = 1 + 4 + 4 + MAX_CHUNK_BYTES;

const HEADER = { handshake: 1 + 4 + 2 + 1, entry: 6, range: 10, request: 1 + 4 + 6 + 8, response: 1 + 16 };

export function encodeMessage(message: PeerMessage): Uint8Array {
  switch (message.type) {
    case FrameType.Handshake: {
      const w = new Writer(HEADER.handshake, message.type);
      w.u32(PROTOCOL_MAGIC)
        .u16(message.version)
        .u8(message.uploads ? 1 : 0);
      return w.bytes;
    }
    case FrameType.Have:
    case FrameType.Lost: {
      checkCount(message.segments.length);
      const w = new Writer(1 + 2 + message.segments.length * HEADER.entry, message.type);
      w.u16(message.segments.length);
      for (const s of message.segments) w.u16(s.track).u32(s.seq);
      return w.bytes;
    }
    case FrameType.HaveRanges: {
      checkCount(message.ranges.length);
      const w = new Writer(1 + 2 + message.ranges.length * HEADER.range, message.type);
      w.u16(message.ranges.length);
      for (const r of message.ranges) w.u16(r.track).u32(r.from).u32(r.count);
      return w.bytes;
    }
    case FrameType.Request: {
      const w = new Writer(HEADER.request, message.type);
      w.u32(message.requestId).u16(message.segment.track).u32(message.segment.seq);
      w.u32(message.offset).u32(message.length);
      return w.bytes;
    }
    case FrameType.Cancel: {
      return new Writer(1 + 4, message.type).u32(message.requestId).bytes;
    }
    case FrameType.Response: {
      const w = new Writer(HEADER.response, message.type);
      w.u32(message.requestId).u32(message.totalSize).u32(message.offset).u32(message.length);
      return w.bytes;
    }
    case FrameType.Data: {
      if (message.bytes.length === 0 || message.bytes.length > MAX_CHUNK_BYTES) {
        throw new RangeError(`DATA payload must be 1..${MAX_CHUNK_BYTES} bytes, got ${message.bytes.length}`);
      }
      const w = new Writer(1 + 8 + message.bytes.length, message.type);
      w.u32(message.requestId).u32(message.offset).raw(message.bytes);
      return w.bytes;
    }
    case FrameType.Reject: {
      return new Writer(1 + 5, message.type).u32(message.requestId).u8(message.reason).bytes;
    }
  }
}

/** Decodes one frame. Never throws: anything malformed comes back as a ProtocolError. */
export function decodeMessage(frame: Uint8Array): DecodeResult {
  try {
    return { ok: true, message: decodeOrThrow(frame) };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error };
    throw error;
  }
}

function decodeOrThrow(frame: Uint8Array): PeerMessage {
  if (frame.length === 0) throw new ProtocolError('empty', 'empty frame');
  if (frame.length > MAX_FRAME_BYTES) {
    throw new ProtocolError('too-large', `frame of ${frame.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  }
  const r = new Reader(frame);
  const type = r.u8();
  let message: PeerMessage;
  switch (type) {
    case FrameType.Handshake: {
      if (r.u32() !== PROTOCOL_MAGIC) throw new ProtocolError('bad-magic', 'handshake magic mismatch');
      const version = r.u16();
      if (version < 1) throw new ProtocolError('bad-field', 'protocol version 0');
      message = { type, version, uploads: r.bool() };
      break;
    }
    case FrameType.Have:
    case FrameType.Lost: {
      const count = readCount(r, HEADER.entry);
      const segments: SegmentId[] = [];
      for (let i = 0; i < count; i++) segments.push({ track: r.u16(), seq: r.u32() });
      message = { type, segments };
      break;
    }
    case FrameType.HaveRanges: {
      const count = readCount(r, HEADER.range);
      const ranges: SegmentRange[] = [];
      for (let i = 0; i < count; i++) {
        const range = { track: r.u16(), from: r.u32(), count: r.u32() };
        if (range.count === 0 || range.from + range.count > 0x1_0000_0000) {
          throw new ProtocolError('bad-field', `range ${range.from}+${range.count} is empty or overflows`);
        }
        ranges.push(range);
      }
      message = { type, ranges };
      break;
    }
    case FrameType.Request: {
      const requestId = r.u32();
      const segment = { track: r.u16(), seq: r.u32() };
      const offset = r.u32();
      const length = r.u32();
      checkSpan(offset, length);
      message = { type, requestId, segment, offset, length };
      break;
    }
    case FrameType.Cancel:
      message = { type, requestId: r.u32() };
      break;
    case FrameType.Response: {
      const requestId = r.u32();
      const totalSize = r.u32();
      const offset = r.u32();
      const length = r.u32();
      if (totalSize === 0 || totalSize > MAX_SEGMENT_BYTES) {
        throw new ProtocolError('bad-field', `segment size ${totalSize} out of range`);
      }
      if (length === 0 || offset + length > totalSize) {
        throw new ProtocolError('bad-field', `response span ${offset}+${length} outside segment of ${totalSize}`);
      }
      message = { type, requestId, totalSize, offset, length };
      break;
    }
    case FrameType.Data: {
      const requestId = r.u32();
      const offset = r.u32();
      const bytes = r.rest();
      if (bytes.length === 0) throw new ProtocolError('truncated', 'DATA frame without payload');
      checkSpan(offset, bytes.length);
      return { type, requestId, offset, bytes };
    }
    case FrameType.Reject: {
      const requestId = r.u32();
      const reason = r.u8();
      if (!(reason in RejectReason)) throw new ProtocolError('bad-field', `unknown reject reason ${reason}`);
      message = { type, requestId, reason: reason as RejectReason };
      break;
    }
    default:
      throw new ProtocolError('unknown-type', `unknown frame type 0x${type.toString(16)}`);
  }
  r.end();
  return message;
}

function checkCount(count: number): void {
  if (count > MAX_ENTRIES_PER_FRAME) {
    throw new RangeError(`at most ${MAX_ENTRIES_PER_FRAME} entries per frame, got ${count}`);
  }
}

/** The entry count, checked against the frame's length before any entry is read: decoding stays O(frame bytes). */
function readCount(r: Reader, entryBytes: number): number {
  const count = r.u16();
  if (count === 0 || count > MAX_ENTRIES_PER_FRAME) {
    throw new ProtocolError('bad-field', `entry count ${count} outside 1..${MAX_ENTRIES_PER_FRAME}`);
  }
  if (r.remaining !== count * entryBytes) {
    throw new ProtocolError('truncated', `${count} entries need ${count * entryBytes} bytes, frame has ${r.remaining}`);
  }
  return count;
}

function checkSpan(offset: number, length: number): void {
  if (offset + length > MAX_SEGMENT_BYTES) {
    throw new ProtocolError('bad-field', `span ${offset}+${length} exceeds the ${MAX_SEGMENT_BYTES}-byte segment limit`);
  }
}

class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;
  constructor(size: number, type: FrameType) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.u8(type);
  }
  u8(v: number): this {
    this.view.setUint8(this.at, checkInt(v, 0xff));
    this.at += 1;
    return this;
  }
  u16(v: number): this {
    this.view.setUint16(this.at, checkInt(v, 0xffff));
    this.at += 2;
    return this;
  }
  u32(v: number): this {
    this.view.setUint32(this.at, checkInt(v, 0xffff_ffff));
    this.at += 4;
    return this;
  }
  raw(v: Uint8Array): this {
    this.bytes.set(v, this.at);
    this.at += v.length;
    return this;
  }
}

function checkInt(v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`field value ${v} not an integer in 0..${max}`);
  return v;
}

class Reader {
  private readonly view: DataView;
  private at = 0;
  constructor(private readonly frame: Uint8Array) {
    this.view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  }
  get remaining(): number {
    return this.frame.length - this.at;
  }
  private need(n: number): void {
    if (this.remaining < n) throw new ProtocolError('truncated', `frame ends ${n - this.remaining} bytes early`);
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.at++);
  }
  bool(): boolean {
    const v = this.u8();
    if (v > 1) throw new ProtocolError('bad-field', `boolean byte ${v}`);
    return v === 1;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }
  rest(): Uint8Array {
    const v = this.frame.subarray(this.at);
    this.at = this.frame.length;
    return v;
  }
  end(): void {
    if (this.remaining !== 0) throw new ProtocolError('trailing-bytes', `${this.remaining} unexpected trailing bytes`);
  }
}
