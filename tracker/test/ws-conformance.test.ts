// RFC 6455 framing conformance of the tracker's WebSocket (frame-parser.ts + connection.ts), in the
// spirit of the Autobahn testsuite's sections (own cases): an echo server made of the real
// connection class, fed client bytes in memory (whole and split into many reads), each case
// checked for the right answer: the echo, or a close frame with the right code. The last block
// puts the `ws` library's client against the same echo server over TCP.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WsConnection } from '../src/ws/connection.js';
import { acceptUpgrade } from '../src/ws/upgrade.js';
import { onCleanup } from './helpers.js';
import { clientFrame, closeCode, echoContext, exchange, LIMITS, text } from './ws-echo.js';
import { wsText } from './ws-text.js';

describe('framing: lengths and splits', () => {
  it.each([0, 125, 126, 65535, 65536])('echoes a %i-byte text message (7/16/64-bit length), whole or split in 7 reads', async (n) => {
    const message = 'é'.repeat(n >> 1) + 'a'.repeat(n & 1);
    for (const reads of [1, 7]) {
      const { frames, violations } = await exchange(clientFrame(0x1, message), reads);
      expect(frames.map(text)).toEqual([message]);
      expect(violations).toEqual([]);
    }
  });

  it('accepts a length in a longer encoding than needed (5 bytes in 16 and 64 bits)', async () => {
    const { frames } = await exchange(
      Buffer.concat([clientFrame(0x1, 'hello', { lengthBits: 16 }), clientFrame(0x1, 'world', { lengthBits: 64 })]),
    );
    expect(frames.map(text)).toEqual(['hello', 'world']);
  });

  it('echoes many messages in one read, and one message dripped a byte per read', async () => {
    const many = Buffer.concat(Array.from({ length: 50 }, (_, i) => clientFrame(0x1, `m${i}`)));
    expect((await exchange(many)).frames.map(text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    const one = clientFrame(0x1, 'x'.repeat(200));
    expect((await exchange(one, one.length)).frames.map(text)).toEqual(['x'.repeat(200)]);
  });

  it.each([0, 125, 126, 65536])('closes with 1003 on a %i-byte binary message (the tracker speaks text)', async (n) => {
    const { frames, violations } = await exchange(clientFrame(0x2, Buffer.alloc(n)));
    expect(closeCode(frames)).toBe(1003);
    expect(violations).toEqual(['binary_message']);
  });
});

describe('fragmentation', () => {
  it('assembles a fragmented message and answers pings sent between its fragments, in order', async () => {
    const bytes = Buffer.concat([
      clientFrame(0x1, 'Hel', { fin: false }),
      clientFrame(0x9, 'p1'),
      clientFrame(0x0, '', { fin: false }),
      clientFrame(0x0, 'lo ', { fin: false }),
      clientFrame(0x9, 'p2'),
      clientFrame(0xa, 'unsolicited pong'),
      clientFrame(0x0, 'world'),
    ]);
    for (const reads of [1, bytes.length]) {
      const { frames, violations } = await exchange(bytes, reads);
      expect(frames.map((f) => [f.op, f.payload.toString()])).toEqual([
        [0xa, 'p1'],
        [0xa, 'p2'],
        [0x1, 'Hello world'],
      ]);
      expect(violations).toEqual([]);
    }
  });

  it.each([
    ['a continuation frame with no message started', [clientFrame(0x0, 'x')]],
    ['a final continuation frame with no message started', [clientFrame(0x0, 'x', { fin: false })]],
    ['a new text message inside a fragmented one', [clientFrame(0x1, 'a', { fin: false }), clientFrame(0x1, 'b')]],
    ['a binary frame inside a fragmented text message', [clientFrame(0x1, 'a', { fin: false }), clientFrame(0x2, 'b')]],
  ])('closes with 1002 on %s', async (_name, parts) => {
    const { frames, violations } = await exchange(Buffer.concat(parts));
    expect(closeCode(frames)).toBe(1002);
    expect(violations).toEqual(['bad_frame']);
  });

  it('closes with 1008 past maxFramesPerMessage, empty fragments counted', async () => {
    const parts = [
      clientFrame(0x1, '', { fin: false }),
      ...Array.from({ length: LIMITS.maxFramesPerMessage }, () => clientFrame(0x0, '', { fin: false })),
    ];
    const { frames, violations } = await exchange(Buffer.concat(parts));
    expect(closeCode(frames)).toBe(1008);
    expect(violations).toEqual(['too_many_parts']);
  });
});

describe('reserved bits, opcodes and masking', () => {
  it.each([
    ['RSV1', clientFrame(0x1, 'x', { rsv: 0x40 })],
    ['RSV2', clientFrame(0x1, 'x', { rsv: 0x20 })],
    ['RSV3', clientFrame(0x1, 'x', { rsv: 0x10 })],
    ['RSV1 on a ping', clientFrame(0x9, '', { rsv: 0x40 })],
    ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map((op) => [`opcode ${op}`, clientFrame(op, 'x')] as [string, Buffer]),
    ['an unmasked text frame', clientFrame(0x1, 'x', { mask: false })],
    ['an unmasked ping', clientFrame(0x9, '', { mask: false })],
  ])('closes with 1002 on %s, and echoes nothing after it', async (_name, bad) => {
    const { frames, violations, ended } = await exchange(Buffer.concat([clientFrame(0x1, 'before'), bad, clientFrame(0x1, 'after')]));
    expect(frames.map(text).slice(0, 1)).toEqual(['before']);
    expect(frames).toHaveLength(2);
    expect(closeCode(frames)).toBe(1002);
    expect(violations).toEqual(['bad_frame']);
    expect(ended).toBe(true);
  });
});

describe('control frames', () => {
  it('answers a ping with a pong carrying its payload (0 and 125 bytes)', async () => {
    const { frames } = await exchange(Buffer.concat([clientFrame(0x9, ''), clientFrame(0x9, 'p'.repeat(125))]));
    expect(frames.map((f) => [f.op, f.payload.toString()])).toEqual([
      [0xa, ''],
      [0xa, 'p'.repeat(125)],
    ]);
  });

  it.each([
    ['a 126-byte ping', clientFrame(0x9, Buffer.alloc(126))],
    ['a 126-byte close', clientFrame(0x8, Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.alloc(124, 0x61)]))],
    ['a fragmented ping', clientFrame(0x9, 'x', { fin: false })],
    ['a fragmented close', clientFrame(0x8, Buffer.from([0x03, 0xe8]), { fin: false })],
  ])('closes with 1002 on %s', async (_name, bad) => {
    const { frames, violations } = await exchange(bad);
    expect(frames).toHaveLength(1);
    expect(closeCode(frames)).toBe(1002);
    expect(violations).toEqual(['bad_frame']);
  });
});

describe('UTF-8', () => {
  const euro = Buffer.from('€'); // e2 82 ac
  it.each([
    ['a lone continuation byte', Buffer.from([0x80])],
    ['0xff', Buffer.from([0x61, 0xff])],
    ['an overlong NUL', Buffer.from([0xc0, 0x80])],
    ['a UTF-16 surrogate', Buffer.from([0xed, 0xa0, 0x80])],
    ['a code point past U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
    ['a truncated sequence', euro.subarray(0, 2)],
  ])('closes with 1007 on text with %s, whole or split over fragments', async (_name, bad) => {
    const whole = clientFrame(0x1, Buffer.concat([Buffer.from('ok '), bad]));
    const split = Buffer.concat([
      clientFrame(0x1, 'ok ', { fin: false }),
      clientFrame(0x0, bad.subarray(0, 1), { fin: false }),
      clientFrame(0x0, bad.subarray(1)),
    ]);
    for (const bytes of [whole, split]) {
      const { frames, violations } = await exchange(bytes);
      expect(closeCode(frames)).toBe(1007);
      expect(violations).toEqual(['bad_utf8']);
    }
  });

  it('accepts a code point split across fragments', async () => {
    const bytes = Buffer.concat([
      clientFrame(0x1, euro.subarray(0, 1), { fin: false }),
      clientFrame(0x0, euro.subarray(1, 2), { fin: false }),
      clientFrame(0x0, euro.subarray(2)),
    ]);
    expect((await exchange(bytes)).frames.map(text)).toEqual(['€']);
  });
});

describe('close handshake', () => {
  const close = (code?: number, reason: Buffer | string = '') =>
    clientFrame(0x8, code === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]));

  it.each([
    ['an empty close', close(), 1000],
    ['a close with 1000', close(1000), 1000],
    ['a close with 1001 and a reason', close(1001, 'bye'), 1001],
    ['a close with 1014', close(1014), 1014],
    ['a close with 3000 and a UTF-8 reason', close(3000, 'fin ✓'), 3000],
    ['a close with 4999', close(4999), 4999],
  ])('answers %s with a close frame and ends the socket; nothing after it is read', async (_name, frame, code) => {
    const { frames, violations, ended } = await exchange(Buffer.concat([frame, clientFrame(0x1, 'after close'), clientFrame(0x9, '')]));
    expect(frames).toHaveLength(1);
    expect(closeCode(frames)).toBe(code);
    expect(violations).toEqual([]);
    expect(ended).toBe(true);
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])('closes with 1002 on a close frame with code %i', async (code) => {
    const { frames, violations } = await exchange(close(code));
    expect(closeCode(frames)).toBe(1002);
    expect(violations).toEqual(['bad_frame']);
  });

  it('closes with 1002 on a 1-byte close payload, and 1007 on a reason that is not UTF-8', async () => {
    const oneByte = await exchange(clientFrame(0x8, Buffer.from([0x03])));
    expect(closeCode(oneByte.frames)).toBe(1002);
    const badReason = await exchange(close(1000, Buffer.from([0xce, 0xba, 0xe1, 0xbd])));
    expect(closeCode(badReason.frames)).toBe(1007);
    expect(badReason.violations).toEqual(['bad_utf8']);
  });
});

describe('limits', () => {
  it('closes with 1009 on a frame declaring more than maxMessageBytes, before its payload arrives', async () => {
    const header = clientFrame(0x1, Buffer.alloc(LIMITS.maxMessageBytes + 1)).subarray(0, 14);
    const { frames, violations } = await exchange(header);
    expect(closeCode(frames)).toBe(1009);
    expect(violations).toEqual(['message_too_big']);
  });

  it('closes with 1009 when fragments add up past maxMessageBytes, and on 64-bit lengths of 2^32 or with the top bit set', async () => {
    const half = Buffer.alloc(LIMITS.maxMessageBytes / 2 + 1, 0x61);
    expect(closeCode((await exchange(Buffer.concat([clientFrame(0x1, half, { fin: false }), clientFrame(0x0, half)]))).frames)).toBe(1009);
    expect(closeCode((await exchange(Buffer.from([0x81, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4]))).frames)).toBe(1009);
    expect(closeCode((await exchange(Buffer.from([0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]))).frames)).toBe(1009);
  });
});

describe('against the ws client', () => {
  /** The same echo connections on a real socket: http upgrade, then WsConnection. */
  async function echoServer(): Promise<string> {
    const ctx = echoContext();
    const server = createServer();
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
      acceptUpgrade(req, socket, head, {
        clientAddress: () => '127.0.0.1',
        admit: () => ({ ok: true, create: (s) => new WsConnection(s, '127.0.0.1', ctx) }),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onCleanup(() => server.close());
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function open(url: string): Promise<WebSocket> {
    const ws = new WebSocket(url); // offers permessage-deflate: the server must not take it
    onCleanup(() => ws.terminate());
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return ws;
  }

  const nextMessage = (ws: WebSocket) => new Promise<string>((resolve) => ws.once('message', (data) => resolve(wsText(data))));

  it('echoes text of every length encoding, whole and fragmented, with no extension negotiated', async () => {
    const ws = await open(await echoServer());
    expect(ws.extensions).toBe('');
    for (const n of [0, 125, 126, 65535, 65536]) {
      const message = 'z'.repeat(n);
      const echoed = nextMessage(ws);
      ws.send(message);
      expect(await echoed).toBe(message);
    }
    const echoed = nextMessage(ws);
    ws.send('frag', { fin: false });
    ws.send('mented', { fin: false });
    ws.send(' text');
    expect(await echoed).toBe('fragmented text');
  });

  it('answers the client’s ping and completes the client’s close handshake with its code', async () => {
    const ws = await open(await echoServer());
    const pong = new Promise<string>((resolve) => ws.once('pong', (data) => resolve(String(data))));
    ws.ping('are you there');
    expect(await pong).toBe('are you there');
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.close(4000, 'done');
    expect(await closed).toBe(4000);
  });

  it('is closed by the server with 1009 when it sends too much', async () => {
    const ws = await open(await echoServer());
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send('y'.repeat(LIMITS.maxMessageBytes + 1));
    expect(await closed).toBe(1009);
  });
});
