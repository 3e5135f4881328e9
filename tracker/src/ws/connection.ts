/**
 * One server-side WebSocket: the `ws` library parses frames, assembles messages and enforces the
 * size and count bounds (see wsLimits); this class adds what a tracker needs around it: the
 * frame clock (byte-drip deadline, activity per frame), batched writes, the slow-reader bound and
 * typed close reasons. A tracker holds many thousands of these, so listeners are shared functions
 * and per-connection state is a handful of fields.
 */
import type { Socket } from 'node:net';
import type { ServerOptions, WebSocket } from 'ws';
import { FrameClock } from './frame-clock.js';

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

/** Why a connection was cut for what its client sent or failed to read (a metric label). */
export type Violation =
  | 'bad_frame'
  | 'bad_utf8'
  | 'binary_message'
  | 'message_too_big'
  | 'too_many_parts'
  | 'frame_timeout'
  | 'slow_reader';

/** The bounds on what one client may make the server hold or wait for. */
export interface WsLimits {
  readonly maxMessageBytes: number;
  /** Frames (fragments) one message may span. */
  readonly maxFramesPerMessage: number;
  /** Socket reads one frame may arrive in (each is a buffer held until the frame is whole). */
  readonly maxChunksPerFrame: number;
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

/** The `ws` server options for these limits: no compression, every buffer bounded. */
// closeTimeout (ws >= 8.19) is not in @types/ws 8.18 yet.
export function wsOptions(limits: WsLimits): ServerOptions & { closeTimeout: number } {
  return {
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: limits.maxMessageBytes,
    maxFragments: limits.maxFramesPerMessage,
    maxBufferedChunks: limits.maxChunksPerFrame,
    // A peer that does not answer our close frame is cut off after this long.
    closeTimeout: 2000,
  };
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

// Listeners are shared functions (no closures per connection); the emitter points back to its
// connection through this symbol.
const kConn = Symbol('shoal.ws');
type Owned<T> = T & { [kConn]?: WsConnection };
function onWsMessage(this: Owned<WebSocket>, data: Buffer, isBinary: boolean): void {
  this[kConn]?.onMessage(data, isBinary);
}
function onWsError(this: Owned<WebSocket>, err: Error & { code?: string }): void {
  this[kConn]?.onProtocolError(err.code);
}
function onWsClose(this: Owned<WebSocket>): void {
  this[kConn]?.onClosed();
}
function onSocketData(this: Owned<Socket>, chunk: Buffer): void {
  this[kConn]?.onBytes(chunk);
}
export function ignoreError(): void {}

/** ws's error codes (receiver.js) to our reasons; the rest are framing errors. */
const WS_ERRORS: Readonly<Record<string, Violation>> = {
  WS_ERR_INVALID_UTF8: 'bad_utf8',
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'message_too_big',
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 'message_too_big',
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 'too_many_parts',
};

/** Where a connection is in its life; each step only moves forward. */
const Phase = {
  Open: 0,
  /** We sent a close frame (or were told to drop it): nothing more is sent or delivered. */
  Closing: 1,
  /** The socket is gone and onClose has run. */
  Closed: 2,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

export class WsConnection {
  private phase: Phase = Phase.Open;
  /** A ping is out and no frame has come since. */
  private pingOut = false;
  private corked = false;
  private readonly clock: FrameClock;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Socket,
    readonly ip: string,
    private readonly ctx: WsContext,
  ) {
    this.clock = new FrameClock(nowMs());
    (ws as Owned<WebSocket>)[kConn] = this;
    (socket as Owned<Socket>)[kConn] = this;
    ws.on('message', onWsMessage);
    ws.on('error', onWsError);
    ws.on('close', onWsClose);
    // After ws's own listener: ws has parsed the chunk by the time the clock sees it.
    socket.on('data', onSocketData);
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

  /**
   * Queues a text message. Dropped silently once the connection is closing. The frame is built
   * here and written to the socket directly: ws's Sender costs a third more CPU per relayed
   * message (options object, two writes, callbacks), and with no compression it never holds
   * frames back, so this keeps the order of everything written.
   */
  send(text: string): void {
    if (this.phase !== Phase.Open) return;
    this.cork();
    this.socket.write(textFrame(text));
    this.checkBuffered();
  }

  ping(): void {
    if (this.phase !== Phase.Open) return;
    this.pingOut = true;
    this.cork();
    this.ws.ping();
    this.checkBuffered();
  }

  /** Sends a close frame; ws ends the socket, and destroys it if the peer does not answer. */
  close(code: CloseCode, reason = ''): void {
    if (this.phase !== Phase.Open) return;
    this.phase = Phase.Closing;
    this.ws.close(code, reason.slice(0, 100));
    this.flush();
  }

  /** Drops the connection at once (no close frame). */
  destroy(): void {
    if (this.phase === Phase.Open) this.phase = Phase.Closing;
    this.ws.terminate();
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

  private cork(): void {
    if (this.corked || this.socket.destroyed) return;
    this.corked = true;
    this.socket.cork();
    dirty.push(this);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushAll);
    }
  }

  private checkBuffered(): void {
    if (this.socket.writableLength > this.ctx.maxBufferedBytes) {
      this.ctx.onViolation(this, 'slow_reader');
      this.destroy();
    }
  }

  private fail(code: CloseCode, reason: Violation): void {
    this.ctx.onViolation(this, reason);
    this.close(code, reason);
  }

  /** @internal */
  onBytes(chunk: Buffer): void {
    const now = nowMs();
    const frames = this.clock.frames;
    this.clock.feed(chunk, now);
    if (this.clock.frames !== frames) this.pingOut = false;
    this.checkDeadline(now);
  }

  /** @internal */
  onMessage(data: Buffer, isBinary: boolean): void {
    if (this.phase !== Phase.Open) return;
    if (isBinary) return this.fail(CloseCode.Unsupported, 'binary_message');
    // ws has checked the UTF-8 already.
    this.ctx.onMessage(this, data.toString('utf8'));
  }

  /** @internal ws found a framing error or a limit; it sends the close frame itself. */
  onProtocolError(code: string | undefined): void {
    if (this.phase !== Phase.Open) return;
    this.phase = Phase.Closing;
    this.ctx.onViolation(this, (code !== undefined && WS_ERRORS[code]) || 'bad_frame');
    this.flush();
  }

  /** @internal */
  onClosed(): void {
    if (this.phase === Phase.Closed) return;
    this.phase = Phase.Closed;
    this.flush();
    this.ctx.onClose(this);
  }
}
