// An echo server made of the tracker's real WebSocket connection class, fed client frames in
// memory, and the frame builders and readers the WebSocket tests share.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { defaultConfig } from '../src/config/fields.js';
import type { Violation, WsContext } from '../src/ws/connection.js';
import { fakeConn } from './fake-conn.js';
import { onCleanup } from './helpers.js';

export const LIMITS = { ...defaultConfig(), maxMessageBytes: 70_000, maxFramesPerMessage: 8 };

/** A server that echoes every text message; records what it counted as violations. */
export function echoContext(violations: Violation[] = []): WsContext {
  return {
    ...LIMITS,
    onMessage: (conn, text) => conn.send(text),
    onClose: () => undefined,
    onViolation: (_c, reason) => violations.push(reason),
  };
}

export interface ClientFrameOptions {
  fin?: boolean;
  mask?: boolean;
  /** RSV1..3 as bits 0x40, 0x20, 0x10 of the first byte. */
  rsv?: number;
  /** Force a length encoding: 7, 16 or 64 bits (default: the shortest). */
  lengthBits?: 7 | 16 | 64;
}

/** A client frame with any header a client could send. */
export function clientFrame(opcode: number, payload: Buffer | string, o: ClientFrameOptions = {}): Buffer {
  const body = Buffer.from(payload);
  const len = body.length;
  const bits = o.lengthBits ?? (len < 126 ? 7 : len < 65536 ? 16 : 64);
  const mask = o.mask ?? true;
  const m = mask ? 0x80 : 0;
  const header = [((o.fin ?? true) ? 0x80 : 0) | (o.rsv ?? 0) | opcode];
  if (bits === 7) header.push(m | len);
  else if (bits === 16) header.push(m | 126, len >> 8, len & 0xff);
  else header.push(m | 127, 0, 0, 0, 0, (len >>> 24) & 0xff, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff);
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  if (mask) for (let i = 0; i < len; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(header), key, body]);
}

export type ServerFrame = { op: number; payload: Buffer };

/** Parses the server's (unmasked, final) frames. */
export function serverFrames(bytes: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let off = 0;
  while (off < bytes.length) {
    expect(bytes[off]! & 0xf0).toBe(0x80); // FIN, no RSV bits
    expect(bytes[off + 1]! & 0x80).toBe(0); // servers do not mask
    let len = bytes[off + 1]! & 0x7f;
    let hdr = 2;
    if (len === 126) [len, hdr] = [bytes.readUInt16BE(off + 2), 4];
    else if (len === 127) [len, hdr] = [bytes.readUInt32BE(off + 6), 10];
    frames.push({ op: bytes[off]! & 0x0f, payload: bytes.subarray(off + hdr, off + hdr + len) });
    off += hdr + len;
  }
  return frames;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sends `bytes` to a fresh echo connection in `reads` socket reads (1: all at once) and returns
 * what came back, the violations counted and whether the socket was ended.
 */
export async function exchange(bytes: Buffer, reads = 1): Promise<{ frames: ServerFrame[]; violations: Violation[]; ended: boolean }> {
  const violations: Violation[] = [];
  const fake = fakeConn(echoContext(violations));
  onCleanup(() => fake.dispose());
  let ended = false;
  fake.conn.socket.once('finish', () => (ended = true));
  for (let i = 0; i < reads; i++) {
    const part = bytes.subarray(Math.floor((i * bytes.length) / reads), Math.floor(((i + 1) * bytes.length) / reads));
    if (part.length > 0) fake.input(part);
  }
  await nextTurn();
  return { frames: serverFrames(fake.output()), violations, ended };
}

/** The close code of the server's last frame, which must be a close frame. */
export function closeCode(frames: ServerFrame[]): number {
  const last = frames.at(-1);
  expect(last?.op).toBe(0x8);
  return last!.payload.readUInt16BE(0);
}

export const text = (f: ServerFrame) => (f.op === 0x1 ? f.payload.toString() : `op ${f.op}`);
