import {
  decodeMessage,
  encodeMessage,
  FrameType,
  PROTOCOL_VERSION,
  RejectReason,
  type PeerMessage,
  type SegmentId,
  type SegmentRange,
} from '../protocol/index.js';
import type { Clock, PeerTransport } from '../io/interfaces.js';
import { Availability } from './availability.js';
import { Emitter } from './emitter.js';
import type { DisconnectCode, MisbehaviorCode } from './reasons.js';
import { toRanges } from './ranges.js';
import { frameCost, ReceiveBudget } from './receive-budget.js';
import { PeerPace } from './peer-pace.js';
import { PeerTally, type PeerInfo } from './peer-tally.js';
import { Uploader, type UploadSource } from './uploader.js';

export interface PeerLimits {
  /** Most segments remembered as available at this peer; older claims (and the low end of a long run) are forgotten first. */
  readonly maxAvailability: number;
  /** Handling work (frames plus the entries in them) this peer may cost us per second; beyond it, banned. */
  readonly peerReceiveBudget: number;
  /** Most requests this peer may have us serving at once. */
  readonly maxConcurrentUploads: number;
}

export interface DownloadCallbacks {
  onResponse(totalSize: number): void;
  onChunk(offset: number, bytes: Uint8Array): void;
  onDone(): void;
  /** rejected: the peer's REJECT reason, when it refused the request. */
  onFail(detail: string, rejected?: RejectReason): void;
}

/**
 * Longest run of segments an honest viewer can announce: 2^21 segments of even 1 KiB fill the
 * largest store (storeBytes 2 GiB). A longer claim is a lie, and the peer is banned; a shorter one
 * beyond maxAvailability is kept in part (its newest end), as any claim costs the same.
 */
export const MAX_PLAUSIBLE_RUN = 2 ** 21;

export type { MisbehaviorCode } from './reasons.js';

export type PeerEvents = {
  ready: Peer;
  /** What the peer just announced, as it said it (bounded by one frame). */
  have: { peer: Peer; ranges: readonly SegmentRange[] };
  close: { peer: Peer; code: DisconnectCode; detail: string };
  /** Bytes that arrived for a request we had already given up on. */
  discarded: { peer: Peer; bytes: number };
  misbehaved: { peer: Peer; code: MisbehaviorCode; detail: string };
};

interface OutgoingRequest {
  readonly id: SegmentId;
  readonly offset: number;
  readonly length: number;
  totalSize: number | undefined;
  next: number;
  readonly callbacks: DownloadCallbacks;
}

/**
 * One connected viewer: speaks the wire protocol over its transport, remembers what it says it
 * has, runs our downloads from it and serves its requests to us.
 */
export class Peer extends Emitter<PeerEvents> {
  readonly id: string;
  readonly throughput = new PeerPace();
  /** Bytes each way and round trip, for the page (peer-tally.ts). */
  readonly tally = new PeerTally();
  private handshaken = false;
  /** When the handshake came (undefined: not yet): how long this connection has been usable. */
  private readyAt: number | undefined;
  private remoteUploads = false;
  private closed = false;
  private readonly available: Availability;
  private readonly budget: ReceiveBudget;
  private readonly outgoing = new Map<number, OutgoingRequest>();
  private readonly uploader: Uploader;
  private nextRequestId = 1;

  constructor(
    private readonly transport: PeerTransport,
    private readonly clock: Clock,
    source: UploadSource,
    private readonly limits: PeerLimits,
  ) {
    super();
    this.id = transport.remoteId;
    this.available = new Availability(limits.maxAvailability);
    this.budget = new ReceiveBudget(clock, limits.peerReceiveBudget);
    const drained = (detail: string) => this.misbehave(detail);
    this.uploader = new Uploader(transport, clock, source, limits.maxConcurrentUploads, (m) => this.send(m), drained);
    transport.onFrame((frame) => this.receive(frame));
    transport.onClose((detail) => this.shutdown('transport-closed', detail ?? 'transport closed'));
  }

  /** Opens the conversation: our handshake, then everything we hold. */
  start(uploads: boolean, holding: readonly SegmentId[]): void {
    this.send({ type: FrameType.Handshake, version: PROTOCOL_VERSION, uploads });
    for (const ranges of chunked(toRanges(holding))) this.send({ type: FrameType.HaveRanges, ranges });
  }

  get isReady(): boolean {
    return this.handshaken && !this.closed;
  }

  /** Ms this connection has been usable (0 before the handshake). */
  get readyForMs(): number {
    return this.readyAt === undefined || this.closed ? 0 : this.clock.now() - this.readyAt;
  }

  get activeDownloads(): number {
    return this.outgoing.size;
  }

  has(id: SegmentId): boolean {
    return this.isReady && this.remoteUploads && this.available.has(id);
  }

  /** Whether this peer announced any of the `window` segments up to this one on its track. */
  hasNear(id: SegmentId, window: number): boolean {
    return this.available.hasNear(id, window);
  }

  announce(ids: readonly SegmentId[]): void {
    if (this.isReady) for (const segments of chunked(ids)) this.send({ type: FrameType.Have, segments });
  }

  announceLost(ids: readonly SegmentId[]): void {
    if (this.isReady) for (const segments of chunked(ids)) this.send({ type: FrameType.Lost, segments });
  }

  /** Requests bytes [offset, offset+length) of a segment (length 0: to the end). Returns a cancel function. */
  download(id: SegmentId, offset: number, length: number, callbacks: DownloadCallbacks): () => void {
    const requestId = this.nextRequestId++;
    this.outgoing.set(requestId, { id, offset, length, totalSize: undefined, next: offset, callbacks });
    this.tally.requested(requestId, this.clock.now());
    this.send({ type: FrameType.Request, requestId, segment: id, offset, length });
    return () => {
      this.tally.forget(requestId);
      if (this.outgoing.delete(requestId)) this.send({ type: FrameType.Cancel, requestId });
    };
  }

  /** For the page's per-peer view. */
  info(): PeerInfo {
    const { bytesIn, bytesOut, rttMs } = this.tally;
    const state = !this.handshaken ? 'handshaking' : this.outgoing.size > 0 ? 'downloading' : 'ready';
    return { peerId: this.id, state, bytesIn, bytesOut, rttMs, readyForMs: this.readyForMs, uploads: this.remoteUploads };
  }

  close(code: DisconnectCode, detail: string): void {
    this.shutdown(code, detail);
    this.transport.close();
  }

  private send(message: PeerMessage): void {
    if (this.closed) return;
    if (message.type === FrameType.Data) this.tally.bytesOut += message.bytes.length;
    try {
      this.transport.send(encodeMessage(message));
    } catch (error) {
      this.shutdown('send-failed', (error as Error).message);
    }
  }

  private receive(frame: Uint8Array): void {
    if (this.closed) return;
    const decoded = decodeMessage(frame);
    if (!decoded.ok) return this.misbehave(`malformed frame: ${decoded.error.message}`, 'malformed-frame');
    const message = decoded.message;
    if (!this.budget.spend(frameCost(message))) {
      return this.misbehave(`sent more than ${this.limits.peerReceiveBudget} frames and entries per second`, 'over-budget');
    }
    if (!this.handshaken) {
      if (message.type !== FrameType.Handshake) return this.misbehave('first frame was not a handshake');
      this.handshaken = true;
      this.readyAt ??= this.clock.now();
      this.remoteUploads = message.uploads;
      this.emit('ready', this);
      return;
    }
    switch (message.type) {
      case FrameType.Handshake:
        return this.misbehave('second handshake');
      case FrameType.Have:
        return this.remember(toRanges(message.segments));
      case FrameType.HaveRanges:
        return this.remember(message.ranges);
      case FrameType.Lost:
        return this.available.remove(toRanges(message.segments));
      case FrameType.Request:
        return this.uploader.handleRequest(message);
      case FrameType.Cancel:
        return this.uploader.cancel(message.requestId);
      case FrameType.Response:
        this.tally.answered(message.requestId, this.clock.now());
        return this.onResponse(message.requestId, message.totalSize, message.offset, message.length);
      case FrameType.Data:
        return this.onData(message.requestId, message.offset, message.bytes);
      case FrameType.Reject:
        this.tally.answered(message.requestId, this.clock.now());
        return this.finish(message.requestId, `rejected (${RejectReason[message.reason]})`, message.reason);
    }
  }

  private remember(ranges: readonly SegmentRange[]): void {
    const absurd = ranges.find((r) => r.count > MAX_PLAUSIBLE_RUN);
    if (absurd) {
      return this.misbehave(
        `claimed ${absurd.count} segments from ${absurd.track}:${absurd.from} (no store holds over ${MAX_PLAUSIBLE_RUN})`,
        'absurd-availability',
      );
    }
    this.available.add(ranges);
    this.emit('have', { peer: this, ranges });
  }

  private onResponse(requestId: number, totalSize: number, offset: number, length: number): void {
    const request = this.outgoing.get(requestId);
    if (!request) return; // cancelled meanwhile
    const toEnd = totalSize - request.offset;
    const expectedLength = request.length === 0 ? toEnd : Math.min(request.length, toEnd);
    if (request.totalSize !== undefined || offset !== request.offset || length !== expectedLength) {
      return this.misbehave(`response ${offset}+${length} does not match request ${request.offset}+${expectedLength}`);
    }
    request.totalSize = totalSize;
    request.callbacks.onResponse(totalSize);
  }

  private onData(requestId: number, offset: number, bytes: Uint8Array): void {
    const request = this.outgoing.get(requestId);
    if (!request) {
      this.emit('discarded', { peer: this, bytes: bytes.length });
      return;
    }
    if (request.totalSize === undefined) return this.misbehave('data before response');
    const end = request.length === 0 ? request.totalSize : Math.min(request.totalSize, request.offset + request.length);
    if (offset !== request.next || offset + bytes.length > end) {
      return this.misbehave(`data at ${offset}+${bytes.length}, expected ${request.next} up to ${end}`);
    }
    request.next += bytes.length;
    this.tally.bytesIn += bytes.length;
    request.callbacks.onChunk(offset, bytes);
    if (request.next === end) {
      this.outgoing.delete(requestId);
      request.callbacks.onDone();
    }
  }

  private finish(requestId: number, detail: string, rejected: RejectReason): void {
    const request = this.outgoing.get(requestId);
    if (!request) return;
    this.outgoing.delete(requestId);
    this.available.remove([{ track: request.id.track, from: request.id.seq, count: 1 }]);
    request.callbacks.onFail(detail, rejected);
  }

  private misbehave(detail: string, code: MisbehaviorCode = 'protocol-violation'): void {
    this.emit('misbehaved', { peer: this, code, detail });
    this.close('banned', `${code}: ${detail}`);
  }

  private shutdown(code: DisconnectCode, detail: string): void {
    if (this.closed) return;
    this.closed = true;
    this.uploader.stop();
    const pending = [...this.outgoing.values()];
    this.outgoing.clear();
    for (const request of pending) request.callbacks.onFail(`peer gone: ${detail}`);
    this.emit('close', { peer: this, code, detail });
  }
}

function* chunked<T>(items: readonly T[], size = 1024): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
