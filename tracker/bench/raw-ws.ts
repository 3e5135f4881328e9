/**
 * A minimal WebSocket client for the load generator: thousands of sockets in one process with
 * little CPU per message, so the server under test, not the generator, is the bottleneck.
 * Frames are sent with an all-zero masking key (valid: the mask bit is set, XOR is a no-op).
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawWs {
  readonly socket: Socket;
  send(text: string): void;
  /** Sends a ready-made frame (see frameText). */
  sendFrame(frame: Buffer): void;
  close(): void;
}

export function frameText(text: string): Buffer {
  const len = Buffer.byteLength(text);
  const hdr = (len < 126 ? 2 : len < 65536 ? 4 : 10) + 4;
  const f = Buffer.alloc(hdr + len);
  f[0] = 0x81;
  if (len < 126) f[1] = 0x80 | len;
  else if (len < 65536) {
    f[1] = 0x80 | 126;
    f.writeUInt16BE(len, 2);
  } else {
    f[1] = 0x80 | 127;
    f.writeUInt32BE(len, 6);
  }
  f.write(text, hdr, 'utf8');
  return f;
}

/** Offset of the payload inside a frame made by frameText. */
export function payloadOffset(frame: Buffer): number {
  const l = frame[1]! & 0x7f;
  return (l < 126 ? 2 : l === 126 ? 4 : 10) + 4;
}

export function openRawWs(port: number, path: string, onMessage: (text: string) => void, onClose: () => void): Promise<RawWs> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const key = randomBytes(16).toString('base64');
    let handshake = true;
    let buf: Buffer | null = null;
    const ws: RawWs = {
      socket,
      send: (text) => socket.write(frameText(text)),
      sendFrame: (frame) => socket.write(frame),
      close: () => socket.destroy(),
    };
    socket.on('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('error', (err) => {
      if (handshake) reject(err);
    });
    socket.on('close', () => {
      if (handshake) reject(new Error('closed during handshake'));
      else onClose();
    });
    socket.on('data', (chunk: Buffer) => {
      let data = buf === null ? chunk : Buffer.concat([buf, chunk]);
      buf = null;
      if (handshake) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) {
          buf = data;
          return;
        }
        const head = data.toString('latin1', 0, end);
        if (!head.startsWith('HTTP/1.1 101')) {
          reject(new Error(head.split('\r\n')[0]));
          socket.destroy();
          return;
        }
        handshake = false;
        resolve(ws);
        data = data.subarray(end + 4);
      }
      let off = 0;
      const len = data.length;
      socket.cork();
      while (len - off >= 2) {
        const b1 = data[off + 1]! & 0x7f;
        let plen = b1;
        let hdr = 2;
        if (b1 === 126) {
          if (len - off < 4) break;
          plen = data.readUInt16BE(off + 2);
          hdr = 4;
        } else if (b1 === 127) {
          if (len - off < 10) break;
          plen = data.readUInt32BE(off + 6);
          hdr = 10;
        }
        if (off + hdr + plen > len) break;
        const opcode = data[off]! & 0x0f;
        if (opcode === 1) onMessage(data.toString('latin1', off + hdr, off + hdr + plen));
        else if (opcode === 8) socket.destroy();
        off += hdr + plen;
      }
      if (off < len) buf = Buffer.from(data.subarray(off));
      process.nextTick(() => socket.uncork());
    });
  });
}
