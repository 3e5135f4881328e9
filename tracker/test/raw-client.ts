// A raw WebSocket client over TCP for tests that send what a library client never would:
// hand-made frames, split and dripped bytes.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { onCleanup } from './helpers.js';
import { clientFrame } from './ws-echo.js';

/** A raw client socket after a completed handshake. */
export function rawWs(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    onCleanup(() => s.destroy());
    s.on('error', reject);
    s.write(
      `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        s.off('data', onData);
        if (head.startsWith('HTTP/1.1 101')) resolve(s);
        else reject(new Error(head.split('\r\n')[0]));
      }
    };
    s.on('data', onData);
  });
}

/** A client frame (masked unless told): see clientFrame for every other header choice. */
export function frame(opcode: number, payload: Buffer, fin = true, mask = true): Buffer {
  return clientFrame(opcode, payload, { fin, mask });
}

/** Reads server frames from a raw socket: [opcode, payload]. */
export function reader(s: Socket): () => Promise<[number, Buffer]> {
  let buf = Buffer.alloc(0);
  const waiting: ((f: [number, Buffer]) => void)[] = [];
  const queued: [number, Buffer][] = [];
  s.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      if (buf.length < 2) break;
      let len = buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) break;
        len = buf.readUInt16BE(2);
        off = 4;
      }
      if (buf.length < off + len) break;
      const f: [number, Buffer] = [buf[0]! & 0x0f, buf.subarray(off, off + len)];
      buf = buf.subarray(off + len);
      const w = waiting.shift();
      if (w) w(f);
      else queued.push(f);
    }
  });
  return () => {
    const f = queued.shift();
    return f ? Promise.resolve(f) : new Promise((r) => waiting.push(r));
  };
}
