/**
 * One server-side WebSocket over a raw socket: the frame parser (frame-parser.ts) turns client
 * bytes into messages within the limits; this class adds what a tracker needs around it: the
 * frame clock (byte-drip deadline, activity per frame), control frames, the close handshake,
 * batched writes, the slow-reader bound and typed close reasons. A tracker holds many thousands
 * of these, so listeners are shared functions and per-connection state is a handful of fields.
 */
import type { Socket } from 'node:net';
import { FrameClock } from './frame-clock.js';
import { CloseCode, FrameParser, type FrameLimits, type FrameSink, type Violation } from './frame-parser.js';

export { CloseCode, type Violation } from './frame-parser.js';

/** The bounds on what one client may make the server hold or wait for. */
export interface WsLimits extends FrameLimits {
  /** A frame, and a fragmented message, must arrive whole within this long of its first byte. */
  readonly messageTimeoutMs: number;
  readonly maxBufferedBytes: number;
}

/** What every connection of one server shares: limits and event handlers. */
export interface WsContext extends WsLimits {
  onMessage(conn: WsConnection, text: string): void;
  onClose(conn: WsConnection): void;
  /** The connection was closed for a protocol or limit reason. */
  onViolation(conn: WsConnection, reason: Violation): void;
}

/** A server-to-client (unmasked, final) text frame (RFC 6455 section 5.2). */
export function textFrame(text: string): Buffer {
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
  return frame;
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
  this[kConn]?.onBytes(chunk);
}
function onSocketClose(this: OwnedSocket): void {
  this[kConn]?.onClosed();
}
// HTTP server sockets allow half-open connections: when the client's side ends (even without a
// close frame), end ours too so that 'close' follows.
function onSocketEnd(this: OwnedSocket): void {
  this.end();
}
function destroySocket(socket: Socket): void {
  socket.destroy();
}
export function ignoreError(): void {}

/** A peer that does not finish the close handshake is cut off after this long. */
const CLOSE_TIMEOUT_MS = 2000;

/** A server-to-client control frame (close, ping, pong) with a payload of at most 125 bytes. */
function controlFrame(opcode: number, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(2 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = payload.length;
  payload.copy(frame, 2);
  return frame;
}

/** A close frame's payload: the code, and a reason cut to fit in a control frame. */
function closePayload(code: CloseCode, reason: string): Buffer {
  const r = Buffer.from(reason.slice(0, 100));
  const payload = Buffer.allocUnsafe(2 + r.length);
  payload.writeUInt16BE(code, 0);
  r.copy(payload, 2);
  return payload;
}

const EMPTY = Buffer.alloc(0);

/** Where a connection is in its life; each step only moves forward. */
const Phase = {
  Open: 0,
  /** We sent a close frame (or were told to drop it): nothing more is sent or delivered. */
  Closing: 1,
  /** The socket is gone and onClose has run. */
  Closed: 2,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** Connection ids count up from 1 for the life of the process. */
let lastId = 0;

export class WsConnection implements FrameSink {
  /** Process-unique: how the tracker's tables refer to this connection (see swarm/outbox.ts). */
  readonly id = ++lastId;
  private phase: Phase = Phase.Open;
  /** A ping is out and no frame has come since. */
  private pingOut = false;
  private corked = false;
  private readonly clock: FrameClock;
  private readonly parser: FrameParser;

  constructor(
    readonly socket: Socket,
    readonly ip: string,
    private readonly ctx: WsContext,
  ) {
    this.clock = new FrameClock(nowMs());
    this.parser = new FrameParser(ctx, this);
    (socket as OwnedSocket)[kConn] = this;
    socket.on('data', onSocketData);
    socket.on('close', onSocketClose);
    socket.on('end', onSocketEnd);
  }

  /** nowMs() when the client last finished a frame (or connected). */
  get lastSeen(): number {
    return this.clock.lastFrameAt;
  }

  get closed(): boolean {
    return this.phase === Phase.Closed;
  }

  get pinged(): boolean {
    return this.pingOut;
  }

  /** Queues a text message. Dropped silently once the connection is closing. */
  send(text: string): void {
    if (this.phase !== Phase.Open) return;
    this.write(textFrame(text));
  }

  ping(): void {
    if (this.phase !== Phase.Open) return;
    this.pingOut = true;
    this.write(controlFrame(0x9, EMPTY));
  }

  /** Sends a close frame, then ends the socket; destroys it if the peer does not finish. */
  close(code: CloseCode, reason = ''): void {
    if (this.phase !== Phase.Open) return;
    this.sendClose(closePayload(code, reason));
  }

  /** Drops the connection at once (no close frame). */
  destroy(): void {
    if (this.phase === Phase.Open) this.phase = Phase.Closing;
    this.parser.stop();
    this.socket.destroy();
  }

  /**
   * Called periodically: cuts a client whose unfinished frame or fragmented message has been
   * arriving for longer than messageTimeoutMs. Returns whether it did.
   */
  checkDeadline(now: number): boolean {
    if (this.phase !== Phase.Open || this.clock.openFor(now) <= this.ctx.messageTimeoutMs) return false;
    this.fail(CloseCode.PolicyViolation, 'frame_timeout');
    return true;
  }

  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  private sendClose(payload: Buffer): void {
    this.write(controlFrame(0x8, payload));
    this.phase = Phase.Closing;
    this.parser.stop();
    this.flush();
    this.socket.end();
    setTimeout(destroySocket, CLOSE_TIMEOUT_MS, this.socket).unref();
  }

  private write(frame: Buffer): void {
    const s = this.socket;
    if (s.destroyed) return;
    if (!this.corked) {
      this.corked = true;
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

  private fail(code: CloseCode, reason: Violation): void {
    this.ctx.onViolation(this, reason);
    this.close(code, reason);
  }

  /** @internal Bytes read from the socket (also the handshake's leftover `head`). */
  onBytes(chunk: Buffer): void {
    if (this.phase !== Phase.Open) return;
    const now = nowMs();
    const frames = this.clock.frames;
    this.clock.feed(chunk, now);
    if (this.clock.frames !== frames) this.pingOut = false;
    const error = this.parser.push(chunk);
    if (error !== undefined) return this.fail(error.code, error.reason);
    this.checkDeadline(now);
  }

  /** @internal */
  onText(payload: Buffer): void {
    if (this.phase === Phase.Open) this.ctx.onMessage(this, payload.toString('utf8'));
  }

  /** @internal */
  onPing(payload: Buffer): void {
    this.write(controlFrame(0xa, payload));
  }

  /** @internal */
  onPong(): void {}

  /** @internal The client began the close handshake: answer with its code (1000 if it gave none). */
  onClose(code: number): void {
    if (this.phase !== Phase.Open) return;
    this.sendClose(code === 1005 ? closePayload(CloseCode.Normal, '') : closePayload(code, ''));
  }

  /** @internal */
  onClosed(): void {
    if (this.phase === Phase.Closed) return;
    this.phase = Phase.Closed;
    this.parser.stop();
    this.flush();
    this.ctx.onClose(this);
  }
}
