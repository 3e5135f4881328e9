// The frame parser alone (no socket): what it delivers and holds for a stream cut at any point,
// and the read-count bound on one frame. Framing rules case by case: ws-conformance.test.ts.
import { describe, expect, it } from 'vitest';
import { FrameParser, type FrameError, type FrameSink } from '../src/ws/frame-parser.js';
import { frame } from './raw-client.js';

const LIMITS = { maxMessageBytes: 1024, maxFramesPerMessage: 4, maxChunksPerFrame: 16 };

function parser(limits = LIMITS): { parser: FrameParser; texts: string[]; events: string[] } {
  const texts: string[] = [];
  const events: string[] = [];
  const sink: FrameSink = {
    onText: (payload) => void texts.push(payload.toString()),
    onPing: (payload) => void events.push(`ping ${payload.toString()}`),
    onPong: () => void events.push('pong'),
    onClose: (code, reason) => void events.push(`close ${code} ${reason}`),
  };
  return { parser: new FrameParser(limits, sink), texts, events };
}

/** Feeds `bytes` in reads of `size` bytes; returns the first error. */
function feed(p: FrameParser, bytes: Buffer, size: number): FrameError | undefined {
  for (let i = 0; i < bytes.length; i += size) {
    const e = p.push(bytes.subarray(i, i + size));
    if (e !== undefined) return e;
  }
  return undefined;
}

describe('FrameParser', () => {
  it('delivers the same messages and control frames for every read size', () => {
    const stream = Buffer.concat([
      frame(0x1, Buffer.from('a')),
      frame(0x1, Buffer.alloc(0)), // 6 bytes: a whole frame even though the longest header is 14
      frame(0x1, Buffer.from('frag'), false),
      frame(0x9, Buffer.from('p')),
      frame(0x0, Buffer.from('ment')),
      frame(0xa, Buffer.alloc(0)),
      frame(0x1, Buffer.alloc(300, 0x62)),
      frame(0x8, Buffer.from([0x03, 0xe8, 0x6f, 0x6b])),
    ]);
    for (const size of [1, 2, 3, 5, 13, 14, 64, stream.length]) {
      const p = parser({ ...LIMITS, maxChunksPerFrame: 1024 }); // a byte per read
      expect(feed(p.parser, Buffer.from(stream), size)).toBeUndefined();
      expect(p.texts).toEqual(['a', '', 'fragment', 'b'.repeat(300)]);
      expect(p.events).toEqual(['ping p', 'pong', 'close 1000 ok']);
      expect(p.parser.stopped).toBe(true);
    }
  });

  it('delivers a frame that arrives in maxChunksPerFrame reads, and stops at one read more', () => {
    const f = frame(0x1, Buffer.alloc(100, 0x63));
    const inReads = (n: number) => {
      const p = parser();
      let error: FrameError | undefined;
      for (let i = 0; i < n && error === undefined; i++)
        error = p.parser.push(f.subarray(Math.floor((i * f.length) / n), Math.floor(((i + 1) * f.length) / n)));
      return { error, texts: p.texts };
    };
    expect(inReads(LIMITS.maxChunksPerFrame)).toEqual({ error: undefined, texts: ['c'.repeat(100)] });
    expect(inReads(LIMITS.maxChunksPerFrame + 1)).toEqual({ error: { code: 1008, reason: 'too_many_parts' }, texts: [] });
  });

  it('counts the reads of a frame that began in the same read as the frame before it', () => {
    const p = parser();
    const next = frame(0x1, Buffer.alloc(100, 0x64));
    // The first read finishes a frame and begins the next: that read counts for the next frame.
    expect(p.parser.push(Buffer.concat([frame(0x1, Buffer.from('x')), next.subarray(0, 1)]))).toBeUndefined();
    let error: FrameError | undefined;
    for (let i = 1; i < LIMITS.maxChunksPerFrame + 1 && error === undefined; i++) error = p.parser.push(next.subarray(i, i + 1));
    expect(error).toEqual({ code: 1008, reason: 'too_many_parts' });
    expect(p.texts).toEqual(['x']);
  });

  it('ignores everything after its first error', () => {
    const p = parser();
    expect(p.parser.push(frame(0x1, Buffer.from('x'), true, false))).toEqual({ code: 1002, reason: 'bad_frame' });
    expect(p.parser.push(frame(0x1, Buffer.from('y')))).toBeUndefined();
    expect(p.texts).toEqual([]);
  });
});
