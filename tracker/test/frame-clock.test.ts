// The frame clock follows frame boundaries in any split of the byte stream: when an unfinished
// frame or fragmented message began, and when the last frame finished.
import { describe, expect, it } from 'vitest';
import { FrameClock, IDLE } from '../src/ws/frame-clock.js';
import { frame } from './raw-client.js';

/** Feeds `bytes` in as many non-empty reads as `at` has times (at most one per byte). */
function feedAt(clock: FrameClock, bytes: Buffer, at: number[]): void {
  const cut = (i: number) => Math.floor((i * bytes.length) / at.length);
  at.forEach((now, i) => clock.feed(bytes.subarray(cut(i), cut(i + 1)), now));
}

describe('FrameClock', () => {
  it('is idle between whole frames, whatever their length encoding and masking', () => {
    const clock = new FrameClock(0);
    const frames = [
      frame(0x1, Buffer.alloc(5)),
      frame(0x1, Buffer.alloc(300)),
      frame(0x1, Buffer.alloc(125), true, false),
      frame(0x9, Buffer.alloc(0)),
    ];
    for (const [i, f] of frames.entries()) {
      clock.feed(f, 10 + i);
      expect(clock.openSince).toBe(IDLE);
      expect(clock.lastFrameAt).toBe(10 + i);
    }
    expect(clock.frames).toBe(4);
  });

  it('reads a 64-bit length', () => {
    const clock = new FrameClock(0);
    const header = Buffer.from([0x81, 0x80 | 127, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4]); // 65536 bytes
    clock.feed(header, 1);
    clock.feed(Buffer.alloc(65_535), 2);
    expect(clock.openFor(3)).toBe(2);
    clock.feed(Buffer.alloc(1), 4);
    expect(clock.openSince).toBe(IDLE);
    expect(clock.lastFrameAt).toBe(4);
  });

  it('dates an unfinished frame from its first byte, in any split of its bytes', () => {
    const f = frame(0x1, Buffer.alloc(200));
    for (const reads of [2, 3, 7, f.length]) {
      const clock = new FrameClock(0);
      feedAt(
        clock,
        Buffer.concat([f, f.subarray(0, 1)]),
        Array.from({ length: reads }, (_, i) => 100 + i),
      );
      // The last read holds the end of the frame and the first byte of the next.
      expect(clock.openSince).toBe(100 + reads - 1);
      expect(clock.frames).toBe(1);
      const clock2 = new FrameClock(0);
      feedAt(
        clock2,
        f.subarray(0, f.length - 1),
        Array.from({ length: Math.min(reads, f.length - 1) }, (_, i) => 100 + i),
      );
      expect(clock2.openSince).toBe(100);
      expect(clock2.openFor(150)).toBe(50);
      expect(clock2.lastFrameAt).toBe(0);
    }
  });

  it('keeps a fragmented message open across its frames and the control frames between them', () => {
    const clock = new FrameClock(0);
    clock.feed(frame(0x1, Buffer.from('ab'), false), 10);
    clock.feed(frame(0x9, Buffer.from('ping')), 20);
    clock.feed(frame(0x0, Buffer.alloc(0), false), 30);
    expect(clock.openSince).toBe(10);
    expect(clock.lastFrameAt).toBe(30);
    clock.feed(frame(0x0, Buffer.from('c')), 40);
    expect(clock.openSince).toBe(IDLE);
    expect(clock.openFor(50)).toBe(0);
    expect(clock.frames).toBe(4);
  });
});
