/**
 * RFC 6455 framing for the server side of one WebSocket, without I/O: client bytes in (in any
 * split), whole messages and control frames out through a sink, or the first error as a close
 * code and a reason. Everything it holds is bounded by the limits, never by numbers a client sends:
 * a frame's declared length is checked against maxMessageBytes before any byte of it is kept, a
 * message spans at most maxFramesPerMessage frames (empty ones count), and an unfinished frame at
 * most maxChunksPerFrame socket reads. No extensions are negotiated, so RSV bits are errors.
 */
import { isUtf8 } from 'node:buffer';

export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  Unsupported: 1003,
  InvalidData: 1007,
  PolicyViolation: 1008,
  TooBig: 1009,
} as const;
export type CloseCode = number;

/** Why a connection was cut for what its client sent or failed to read (a metric label). */
export type Violation =
  'bad_frame' | 'bad_utf8' | 'binary_message' | 'message_too_big' | 'too_many_parts' | 'frame_timeout' | 'slow_reader';

/** The bounds on what one client may make the parser hold. */
export interface FrameLimits {
  readonly maxMessageBytes: number;
  /** Frames (fragments) one message may span. */
  readonly maxFramesPerMessage: number;
  /** Socket reads one frame may arrive in (each is a buffer held until the frame is whole). */
  readonly maxChunksPerFrame: number;
}

/** The first thing wrong with a client's stream: the close code to send and the metric reason. */
export interface FrameError {
  readonly code: CloseCode;
  readonly reason: Violation;
}

/** Where parsed frames go. Calls may stop the parser (stop()) from inside. */
export interface FrameSink {
  /** A whole text message, valid UTF-8, at most maxMessageBytes. */
  onText(payload: Buffer): void;
  /** A ping; the payload (at most 125 bytes) is a view into a buffer reused later: copy it. */
  onPing(payload: Buffer): void;
  onPong(): void;
  /** A valid close frame; `code` is 1005 when the frame had no payload. */
  onClose(code: number, reason: string): void;
}

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

const err = (code: CloseCode, reason: Violation): FrameError => ({ code, reason });
const BAD_FRAME = err(CloseCode.ProtocolError, 'bad_frame');
const TOO_BIG = err(CloseCode.TooBig, 'message_too_big');
const TOO_MANY_PARTS = err(CloseCode.PolicyViolation, 'too_many_parts');
const BAD_UTF8 = err(CloseCode.InvalidData, 'bad_utf8');
const BINARY = err(CloseCode.Unsupported, 'binary_message');

/**
 * Close codes a peer may send (RFC 6455 section 7.4): the defined ones that are not reserved for
 * local use (1004-1006, 1015), and the registered and private ranges 3000-4999.
 */
export function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** Bytes of the header (masking key included) of a frame whose first `avail` bytes are at data[off]. */
function headerLength(data: Buffer, off: number, avail: number): number {
  if (avail < 2) return 2;
  const len7 = data[off + 1]! & 0x7f;
  return (len7 === 126 ? 4 : len7 === 127 ? 10 : 2) + ((data[off + 1]! & 0x80) !== 0 ? 4 : 0);
}

/** Where the parser is: a dead parser ignores every byte after its first error or a close. */
const Phase = { Open: 0, Stopped: 1 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

export class FrameParser {
  private phase: Phase = Phase.Open;
  /** Bytes of an unfinished frame, one buffer per socket read, and their total. */
  private held: Buffer[] | null = null;
  private heldBytes = 0;
  /** Socket reads the unfinished frame has arrived in so far. */
  private frameChunks = 0;
  /** Bytes needed before the held ones can be parsed further (a header, or the whole frame). */
  private need = 0;
  /** The fragments so far of an unfinished message (null when none), and their total bytes. */
  private parts: Buffer[] | null = null;
  private partBytes = 0;
  /** Frames of the unfinished message (empty ones are counted, not kept). */
  private partFrames = 0;

  constructor(
    private readonly limits: FrameLimits,
    private readonly sink: FrameSink,
  ) {}

  /** Nothing more is parsed or delivered (the connection is closing); held bytes are dropped. */
  stop(): void {
    this.phase = Phase.Stopped;
    this.held = null;
    this.parts = null;
    this.partBytes = 0;
    this.partFrames = 0;
  }

  get stopped(): boolean {
    return this.phase === Phase.Stopped;
  }

  /** Parses bytes from one socket read. Returns the first error (and stops), or undefined. */
  push(chunk: Buffer): FrameError | undefined {
    if (this.phase !== Phase.Open || chunk.length === 0) return undefined;
    let data = chunk;
    const continuing = this.held !== null;
    if (this.held !== null) {
      if (++this.frameChunks > this.limits.maxChunksPerFrame) return this.fail(TOO_MANY_PARTS);
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      // Concatenate only when the frame can move on: a drip costs a copy per header part and one
      // for the frame, not one per read.
      if (this.heldBytes < this.need) return undefined;
      data = Buffer.concat(this.held, this.heldBytes);
      this.held = null;
    }
    const e = this.parse(data, continuing);
    return e === undefined ? undefined : this.fail(e);
  }

  private fail(e: FrameError): FrameError {
    this.stop();
    return e;
  }

  /** `continuing`: data begins with the held start of an unfinished frame. */
  private parse(data: Buffer, continuing: boolean): FrameError | undefined {
    const len = data.length;
    let off = 0;
    while (off < len) {
      const hdr = headerLength(data, off, len - off);
      if (hdr > len - off) return this.hold(data, off, hdr, continuing);
      const b0 = data[off]!;
      const b1 = data[off + 1]!;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if ((b0 & 0x70) !== 0 || (b1 & 0x80) === 0) return BAD_FRAME; // RSV bits; clients must mask
      let plen = b1 & 0x7f;
      if (plen === 126) plen = data.readUInt16BE(off + 2);
      else if (plen === 127) {
        // Lengths of 2^32 and more (the top bit too, which RFC 6455 forbids) are too big, as in ws.
        if (data.readUInt32BE(off + 2) !== 0) return TOO_BIG;
        plen = data.readUInt32BE(off + 6);
      }
      const e = this.checkHeader(fin, opcode, plen);
      if (e !== undefined) return e;
      const end = off + hdr + plen;
      if (end > len) return this.hold(data, off, end - off, continuing);
      const start = off + hdr;
      unmask(data, start - 4, start, end);
      off = end;
      const fe = this.onFrame(fin, opcode, data.subarray(start, end));
      if (fe !== undefined) return fe;
      if (this.phase !== Phase.Open) return undefined;
    }
    return undefined;
  }

  /** Checks what a frame header claims against the protocol and the limits, before its payload. */
  private checkHeader(fin: boolean, opcode: number, plen: number): FrameError | undefined {
    if (opcode >= OP_CLOSE) {
      // A control frame (close, ping, pong): whole, and small.
      if (opcode > OP_PONG) return BAD_FRAME;
      return !fin || plen > 125 ? BAD_FRAME : undefined;
    }
    if (opcode > OP_BINARY) return BAD_FRAME;
    if ((opcode === OP_CONTINUATION) !== (this.parts !== null)) return BAD_FRAME;
    if (opcode === OP_BINARY) return BINARY;
    if (plen + this.partBytes > this.limits.maxMessageBytes) return TOO_BIG;
    if (this.parts !== null && this.partFrames + 1 > this.limits.maxFramesPerMessage) return TOO_MANY_PARTS;
    return undefined;
  }

  /** Keeps data[off..], the start of a frame, until `need` bytes of it are here. */
  private hold(data: Buffer, off: number, need: number, continuing: boolean): undefined {
    // A copy: a small tail should not pin a large read.
    const rest = Buffer.from(data.subarray(off));
    this.held = [rest];
    this.heldBytes = rest.length;
    this.need = need;
    // A frame that began in this read counts this read; one held from before keeps its count.
    if (!(continuing && off === 0)) this.frameChunks = 1;
    return undefined;
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): FrameError | undefined {
    switch (opcode) {
      case OP_TEXT:
      case OP_CONTINUATION: {
        if (fin && this.parts === null) return this.deliver(payload);
        const parts = (this.parts ??= []);
        this.partFrames++;
        // A copy per fragment: `payload` is a view into a read that should not stay pinned.
        if (payload.length > 0) parts.push(Buffer.from(payload));
        this.partBytes += payload.length;
        if (!fin) return undefined;
        const message = Buffer.concat(parts, this.partBytes);
        this.parts = null;
        this.partBytes = 0;
        this.partFrames = 0;
        return this.deliver(message);
      }
      case OP_PING:
        this.sink.onPing(payload);
        return undefined;
      case OP_PONG:
        this.sink.onPong();
        return undefined;
      default:
        return this.onCloseFrame(payload);
    }
  }

  private onCloseFrame(payload: Buffer): FrameError | undefined {
    if (payload.length === 1) return BAD_FRAME;
    const code = payload.length === 0 ? 1005 : payload.readUInt16BE(0);
    if (payload.length >= 2 && !validCloseCode(code)) return BAD_FRAME;
    const reason = payload.subarray(2);
    if (!isUtf8(reason)) return BAD_UTF8;
    this.stop();
    this.sink.onClose(code, reason.toString('utf8'));
    return undefined;
  }

  private deliver(payload: Buffer): FrameError | undefined {
    if (!isUtf8(payload)) return BAD_UTF8;
    this.sink.onText(payload);
    return undefined;
  }
}

/** XORs data[start..end) with the 4-byte key at data[keyAt] (in place). */
function unmask(data: Buffer, keyAt: number, start: number, end: number): void {
  const m0 = data[keyAt]!;
  const m1 = data[keyAt + 1]!;
  const m2 = data[keyAt + 2]!;
  const m3 = data[keyAt + 3]!;
  if ((m0 | m1 | m2 | m3) === 0) return;
  let i = start;
  for (; i + 3 < end; i += 4) {
    data[i]! ^= m0;
    data[i + 1]! ^= m1;
    data[i + 2]! ^= m2;
    data[i + 3]! ^= m3;
  }
  for (let k = 0; i < end; i++, k++) data[i]! ^= k === 0 ? m0 : k === 1 ? m1 : m2;
}
