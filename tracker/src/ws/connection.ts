/**
 * One server-side WebSocket (RFC 6455) over a raw socket: frame parsing, message assembly,
 * control frames and batched writes. Kept deliberately small: a tracker holds many thousands of
 * these, so per-connection state is a handful of fields and no stream objects beyond the socket.
 */
import type { Socket } from 'node:net';
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

/** What every connection of one server shares: limits and event handlers. */
export interface WsContext {
  readonly maxMessageBytes: number;
  readonly maxBufferedBytes: number;
  onMessage(conn: WsConnection, text: string): void;
  onClose(conn: WsConnection): void;
  /** The connection was closed for a protocol or limit reason (metric label). */
  onViolation(conn: WsConnection, reason: string): void;
}

/** Monotonic milliseconds as a small integer (stored unboxed in objects). */
export function nowMs(): number {
  return Math.floor(performance.now());
}

// Connections with queued frames, flushed once per event-loop turn so that several frames to
// one socket leave in a single write.
let dirty: WsConnection[] = [];
let flushScheduled = false;
function flushAll(): void {
  const list = dirty;
  dirty = [];
  flushScheduled = false;
  for (const c of list) c.flush();
}

// Socket listeners are shared functions (no closures per connection); the socket points back to
// its connection through this symbol.
const kConn = Symbol('shoal.ws');
type OwnedSocket = Socket & { [kConn]?: WsConnection };
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[kConn]?.onData(chunk);
}
function onSocketClose(this: OwnedSocket): void {
  this[kConn]?.onSocketClose();
}
// HTTP server sockets allow half-open connections: when the client's side ends (even without a
// close frame), end ours too so that 'close' follows.
function onSocketEnd(this: OwnedSocket): void {
  this.end();
}
export function ignoreError(): void {}

const PINGED = 1;
const CLOSED = 2;
const CORKED = 4;
const CLOSING = 8;

interface Fragments {
  parts: Buffer[];
  bytes: number;
}

export class WsConnection {
  /** nowMs() when bytes last arrived. */
  lastSeen: number;
  private flags = 0;
  private buf: Buffer | null = null;
  private frag: Fragments | null = null;

  constructor(
    readonly socket: Socket,
    readonly ip: string,
    private readonly ctx: WsContext,
  ) {
    this.lastSeen = nowMs();
    (socket as OwnedSocket)[kConn] = this;
    socket.on('data', onSocketData);
    socket.on('close', onSocketClose);
    socket.on('end', onSocketEnd);
  }

  get closed(): boolean {
    return (this.flags & CLOSED) !== 0;
  }

  get pinged(): boolean {
    return (this.flags & PINGED) !== 0;
  }

  /** Queues a text message. Dropped silently once the connection is closing. */
  send(text: string): void {
    if ((this.flags & CLOSING) !== 0) return;
    const len = Buffer.byteLength(text);
    const hdr = len < 126 ? 2 : len < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(hdr + len);
    frame[0] = 0x81;
    if (hdr === 2) frame[1] = len;
    else if (hdr === 4) {
      frame[1] = 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 127;
      frame.writeUInt32BE(0, 2);
      frame.writeUInt32BE(len, 6);
    }
    frame.write(text, hdr, 'utf8');
    this.write(frame);
  }

  ping(): void {
    this.flags |= PINGED;
    this.write(Buffer.from([0x89, 0]));
  }

  /** Sends a close frame, then ends the socket; destroys it if the peer does not finish. */
  close(code: CloseCode, reason = ''): void {
    if ((this.flags & CLOSING) !== 0) return;
    const r = Buffer.from(reason.slice(0, 100));
    const frame = Buffer.allocUnsafe(4 + r.length);
    frame[0] = 0x88;
    frame[1] = 2 + r.length;
    frame.writeUInt16BE(code, 2);
    r.copy(frame, 4);
    this.write(frame);
    this.flags |= CLOSING;
    this.flush();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Drops the connection at once (no close frame). */
  destroy(): void {
    this.flags |= CLOSING;
    this.socket.destroy();
  }

  flush(): void {
    if ((this.flags & CORKED) === 0) return;
    this.flags &= ~CORKED;
    this.socket.uncork();
  }

  private write(frame: Buffer): void {
    const s = this.socket;
    if (s.destroyed) return;
    if ((this.flags & CORKED) === 0) {
      this.flags |= CORKED;
      s.cork();
      dirty.push(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    }
    s.write(frame);
    if (s.writableLength > this.ctx.maxBufferedBytes) {
      this.ctx.onViolation(this, 'slow_reader');
      this.destroy();
    }
  }

  /** @internal */
  onSocketClose(): void {
    if ((this.flags & CLOSED) !== 0) return;
    this.flags |= CLOSED | CLOSING;
    this.buf = null;
    this.frag = null;
    this.ctx.onClose(this);
  }

  private fail(code: CloseCode, reason: string): void {
    this.ctx.onViolation(this, reason);
    this.buf = null;
    this.frag = null;
    this.close(code, reason);
  }

  /** Feeds bytes read from the socket (also the handshake's leftover `head`). */
  onData(chunk: Buffer): void {
    if ((this.flags & CLOSING) !== 0) return;
    this.lastSeen = nowMs();
    this.flags &= ~PINGED;
    let data = chunk;
    if (this.buf !== null) {
      data = Buffer.concat([this.buf, chunk]);
      this.buf = null;
    }
    const len = data.length;
    let off = 0;
    while (len - off >= 2) {
      const b0 = data[off]!;
      const b1 = data[off + 1]!;
      if ((b0 & 0x70) !== 0) return this.fail(CloseCode.ProtocolError, 'bad_frame');
      if ((b1 & 0x80) === 0) return this.fail(CloseCode.ProtocolError, 'bad_frame'); // clients must mask
      const opcode = b0 & 0x0f;
      let plen = b1 & 0x7f;
      let hdr = 2;
      if (plen === 126) {
        if (len - off < 4) break;
        plen = data.readUInt16BE(off + 2);
        hdr = 4;
      } else if (plen === 127) {
        if (len - off < 10) break;
        if (data.readUInt32BE(off + 2) !== 0) return this.fail(CloseCode.TooBig, 'message_too_big');
        plen = data.readUInt32BE(off + 6);
        hdr = 10;
      }
      if (opcode >= 8) {
        if ((b0 & 0x80) === 0 || plen > 125) return this.fail(CloseCode.ProtocolError, 'bad_frame');
      } else if (plen + (this.frag?.bytes ?? 0) > this.ctx.maxMessageBytes) {
        return this.fail(CloseCode.TooBig, 'message_too_big');
      }
      const start = off + hdr + 4;
      const end = start + plen;
      if (end > len) break;
      const m0 = data[off + hdr]!;
      const m1 = data[off + hdr + 1]!;
      const m2 = data[off + hdr + 2]!;
      const m3 = data[off + hdr + 3]!;
      if ((m0 | m1 | m2 | m3) !== 0) {
        let i = start;
        for (; i + 3 < end; i += 4) {
          data[i]! ^= m0;
          data[i + 1]! ^= m1;
          data[i + 2]! ^= m2;
          data[i + 3]! ^= m3;
        }
        for (let k = 0; i < end; i++, k++) data[i]! ^= k === 0 ? m0 : k === 1 ? m1 : m2;
      }
      off = end;
      this.onFrame((b0 & 0x80) !== 0, opcode, data.subarray(start, end));
      if ((this.flags & CLOSING) !== 0) return;
    }
    if (off < len) this.buf = off === 0 && data !== chunk ? data : Buffer.from(data.subarray(off));
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x1:
      case 0x0: {
        const frag = this.frag;
        if ((opcode === 0x1) === (frag !== null)) return this.fail(CloseCode.ProtocolError, 'bad_frame');
        if (fin && frag === null) return this.deliver(payload);
        const f = (this.frag ??= { parts: [], bytes: 0 });
        f.parts.push(Buffer.from(payload));
        f.bytes += payload.length;
        if (!fin) return;
        this.frag = null;
        return this.deliver(Buffer.concat(f.parts, f.bytes));
      }
      case 0x2:
        return this.fail(CloseCode.Unsupported, 'binary_message');
      case 0x8: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : CloseCode.Normal;
        return this.close(code === 1005 || code === 1006 || code < 1000 || code >= 5000 ? CloseCode.Normal : code);
      }
      case 0x9: {
        const pong = Buffer.allocUnsafe(2 + payload.length);
        pong[0] = 0x8a;
        pong[1] = payload.length;
        payload.copy(pong, 2);
        return this.write(pong);
      }
      case 0xa:
        return;
      default:
        return this.fail(CloseCode.ProtocolError, 'bad_frame');
    }
  }

  private deliver(payload: Buffer): void {
    if (!isUtf8(payload)) return this.fail(CloseCode.InvalidData, 'bad_utf8');
    this.ctx.onMessage(this, payload.toString('utf8'));
  }
}
