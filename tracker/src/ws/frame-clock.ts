/**
 * Watches the frame boundaries of a client's WebSocket byte stream, without parsing or keeping
 * payloads (frame-parser.ts does that), to answer two questions the parser leaves open: since when has an
 * unfinished frame or fragmented message been arriving (a byte-drip keeps one open forever), and
 * when did the client last finish a frame (activity is counted per frame, never per byte).
 *
 * It reads only the header fields that give a frame's length (RFC 6455 section 5.2). Bytes that
 * are not valid framing are the parser's to reject; a clock that reads them as some length is
 * harmless, since the connection is then closed.
 */

/** What the clock is waiting for. */
const Phase = {
  /** The first header byte (FIN, opcode). */
  Opcode: 0,
  /** The second header byte (MASK, 7-bit length). */
  Length7: 1,
  /** The 2 or 8 bytes of an extended length. */
  LengthExt: 2,
  /** The 4-byte masking key. */
  MaskKey: 3,
  /** Payload bytes. */
  Payload: 4,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** No unfinished frame or message. */
export const IDLE = -1;

export class FrameClock {
  private phase: Phase = Phase.Opcode;
  /** Bytes still to come in the current phase (extended length, mask key, payload). */
  private left = 0;
  private length = 0;
  private fin = false;
  private control = false;
  private masked = false;
  /** A data frame without FIN has been seen: the message goes on in continuation frames. */
  private fragmented = false;
  /** When the first byte of the unfinished frame, or of the unfinished message, arrived; IDLE if none. */
  openSince = IDLE;
  /** When the client last finished a frame (the time it was created, before any frame). */
  lastFrameAt: number;
  /** Frames finished so far. */
  frames = 0;

  constructor(now: number) {
    this.lastFrameAt = now;
  }

  /** How long the oldest unfinished frame or message has been arriving at `now` (0 when none). */
  openFor(now: number): number {
    return this.openSince === IDLE ? 0 : now - this.openSince;
  }

  /** Follows the frames in bytes that arrived at `now`. */
  feed(chunk: Uint8Array, now: number): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.phase) {
        case Phase.Opcode: {
          const b0 = chunk[i++]!;
          if (this.openSince === IDLE) this.openSince = now;
          this.fin = (b0 & 0x80) !== 0;
          this.control = (b0 & 0x08) !== 0;
          this.phase = Phase.Length7;
          break;
        }
        case Phase.Length7: {
          const b1 = chunk[i++]!;
          this.masked = (b1 & 0x80) !== 0;
          const len7 = b1 & 0x7f;
          this.length = 0;
          if (len7 < 126) this.startKeyOrPayload(len7, now);
          else {
            this.phase = Phase.LengthExt;
            this.left = len7 === 126 ? 2 : 8;
          }
          break;
        }
        case Phase.LengthExt:
          // A float holds any length a frame can really have; larger ones are refused by the parser.
          this.length = this.length * 256 + chunk[i++]!;
          if (--this.left === 0) this.startKeyOrPayload(this.length, now);
          break;
        case Phase.MaskKey: {
          const take = Math.min(this.left, n - i);
          i += take;
          this.left -= take;
          if (this.left === 0) this.startPayload(this.length, now);
          break;
        }
        case Phase.Payload: {
          const take = Math.min(this.left, n - i);
          i += take;
          this.left -= take;
          if (this.left === 0) this.endFrame(now);
          break;
        }
      }
    }
  }

  private startKeyOrPayload(length: number, now: number): void {
    this.length = length;
    if (this.masked) {
      this.phase = Phase.MaskKey;
      this.left = 4;
    } else this.startPayload(length, now);
  }

  private startPayload(length: number, now: number): void {
    this.phase = Phase.Payload;
    this.left = length;
    if (length === 0) this.endFrame(now);
  }

  private endFrame(now: number): void {
    this.phase = Phase.Opcode;
    this.lastFrameAt = now;
    this.frames++;
    // A control frame may sit between the fragments of a message: the message stays open.
    if (!this.control) this.fragmented = !this.fin;
    if (!this.fragmented) this.openSince = IDLE;
  }
}
