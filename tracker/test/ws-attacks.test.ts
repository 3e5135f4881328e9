// Hostile WebSocket clients against a real tracker on 127.0.0.1, over raw TCP: fragment bombs
// (issue #12 item 8), frames dripped in many reads, and byte-drips that never finish a frame or a
// message (item 9). Each must end in a closed connection and bounded memory. The numbers are
// printed for the record; the bounds asserted are generous (a shared machine's heap wanders).
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { binId, heapAfterGc, isReply, sleep, TestClient, tracker } from './helpers.js';
import { frame, rawWs, reader } from './raw-client.js';

const MB = 1024 * 1024;

/** The close code the server sent, or why there is none: 'no close frame' or 'still open'. */
async function closeOutcome(s: Socket, withinMs: number): Promise<number | string> {
  const next = reader(s);
  const closeFrame = (async () => {
    for (;;) {
      const [op, payload] = await next();
      if (op === 0x8) return payload.readUInt16BE(0);
    }
  })();
  const socketClosed = new Promise<string>((r) => s.once('close', () => setTimeout(() => r('no close frame'), 50)));
  return Promise.race([closeFrame, socketClosed, sleep(withinMs).then(() => 'still open')]);
}

/** Samples the heap (no GC) until stopped; returns the highest reading. */
function heapPeak(): () => number {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().heapUsed);
  };
}

/** A text message opened with one byte and never finished: `count` continuation frames. */
function fragmentBomb(count: number, fragment: Buffer): Buffer {
  const one = frame(0x0, fragment, false);
  return Buffer.concat([frame(0x1, Buffer.from('{'), false), ...Array.from({ length: count }, () => one)]);
}

describe('fragment bombs', () => {
  const CONNECTIONS = 20;
  const FRAGMENTS = 65_535;
  it.each([
    ['empty', Buffer.alloc(0)],
    ['one-byte', Buffer.from('x')],
  ])(
    'cuts off %s continuation frames past maxFramesPerMessage and holds no memory for them',
    async (kind, fragment) => {
      const t = await tracker();
      const bomb = fragmentBomb(FRAGMENTS, fragment);
      const sockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => rawWs(t.port)));
      const base = await heapAfterGc();
      const rssBase = process.memoryUsage().rss;
      const peak = heapPeak();
      const outcomes = await Promise.all(
        sockets.map((s) => {
          s.write(bomb);
          return closeOutcome(s, 10_000);
        }),
      );
      const peakGrowth = peak() - base;
      const held = (await heapAfterGc()) - base;
      const rssGrowth = process.memoryUsage().rss - rssBase;
      console.log(
        `[fragment bomb, ${kind}] ${CONNECTIONS} connections x ${FRAGMENTS} fragments = ${((CONNECTIONS * bomb.length) / MB).toFixed(1)} MiB sent; ` +
          `heap peak +${(peakGrowth / MB).toFixed(1)} MiB, held after GC +${(held / MB).toFixed(1)} MiB, RSS +${(rssGrowth / MB).toFixed(1)} MiB`,
      );
      expect(outcomes).toEqual(Array(CONNECTIONS).fill(1008));
      expect(t.stats().tracker.rejections).toMatchObject({ too_many_parts: CONNECTIONS });
      // Before the limit, these bombs held 100+ MiB (8.5 KiB per connection per 65 fragments).
      expect(held).toBeLessThan(16 * MB);
      expect(peakGrowth).toBeLessThan(96 * MB);
      // An honest client is served as before.
      const honest = await TestClient.open(t.wsUrl);
      expect(await honest.join(binId(), binId())).toSatisfy(isReply);
    },
    30_000,
  );

  it('delivers a message in as many fragments as maxFramesPerMessage allows', async () => {
    const t = await tracker({ maxFramesPerMessage: 4 });
    const s = await rawWs(t.port);
    const next = reader(s);
    const text = Buffer.from(JSON.stringify({ action: 'scrape', info_hash: binId() }));
    s.write(
      Buffer.concat([
        frame(0x1, text.subarray(0, 5), false),
        frame(0x0, Buffer.alloc(0), false),
        frame(0x0, text.subarray(5, 9), false),
        frame(0x0, text.subarray(9)),
      ]),
    );
    const [op, payload] = await next();
    expect(op).toBe(0x1);
    expect(JSON.parse(payload.toString())).toMatchObject({ action: 'scrape' });
  });
});

describe('drips', () => {
  it('cuts off a frame that arrives in more socket reads than maxChunksPerFrame', async () => {
    const t = await tracker({ maxChunksPerFrame: 16 });
    const s = await rawWs(t.port);
    s.setNoDelay(true);
    let over = false;
    const outcome = closeOutcome(s, 10_000).finally(() => (over = true));
    const f = frame(0x1, Buffer.from(JSON.stringify({ action: 'scrape', pad: 'x'.repeat(100) })));
    // One byte per turn of the event loop: the tracker (same process) reads each on its own.
    for (let i = 0; i < 64 && !over; i++) {
      s.write(f.subarray(i, i + 1));
      await sleep(2);
    }
    expect(await outcome).toBe(1008);
    expect(t.stats().tracker.rejections).toMatchObject({ too_many_parts: 1 });
  });

  const dripped = frame(0x1, Buffer.from(JSON.stringify({ action: 'announce', pad: 'y'.repeat(400) })));
  const fragmented = fragmentBomb(400, Buffer.from(' '));
  it.each([
    ['one byte at a time inside a frame', dripped, 1],
    ['one fragment at a time inside a message', fragmented, frame(0x0, Buffer.from(' '), false).length],
  ])(
    'closes a connection that sends %s for longer than messageTimeoutMs',
    async (_name, bytes, step) => {
      const t = await tracker({ messageTimeoutMs: 400, idleTimeoutMs: 1000 });
      const s = await rawWs(t.port);
      s.setNoDelay(true);
      let over = false;
      const outcome = closeOutcome(s, 15_000).finally(() => (over = true));
      const started = performance.now();
      // Every step is activity for a per-byte idle check; the whole drip would take 40 s.
      for (let i = 0; i < bytes.length && i < 100 * step && !over; i += step) {
        s.write(bytes.subarray(i, i + step));
        await sleep(100);
      }
      const code = await outcome;
      console.log(`[drip, ${_name}] closed with ${code} after ${Math.round(performance.now() - started)} ms (messageTimeoutMs 400)`);
      expect(code).toBe(1008);
      expect(t.stats().tracker.rejections).toMatchObject({ frame_timeout: 1 });
      await expect.poll(() => t.stats().tracker.connections, { timeout: 5000 }).toBe(0);
    },
    20_000,
  );
});
