import { FrameType, MAX_CHUNK_BYTES, RejectReason, type PeerMessage, type RequestMessage, type SegmentId } from '../protocol/index.js';
import type { Clock, PeerTransport, TimerHandle } from '../io/interfaces.js';
import { segmentKey, type SegmentKey } from './segment-key.js';

/** What the uploader may send, and where the bytes come from. Shared by all peers. */
export interface UploadSource {
  segment(id: SegmentId): Uint8Array | undefined;
  uploadsEnabled(): boolean;
  /** Ms to wait before `bytes` more may go out under the upload cap (0 = now). */
  uploadDelayMs(bytes: number): number;
  uploaded(bytes: number): void;
}

/** Queue no more than this on the data channel; more only adds latency for everyone. */
const HIGH_WATER_BYTES = 256 * 1024;
const POLL_MS = 5;
/**
 * An honest viewer needs a segment's bytes once; twice covers a transfer resumed elsewhere or a
 * segment its own store dropped. A requester is charged at least REQUEST_COST_BYTES per request,
 * so a flood of tiny requests runs out of budget as fast as big ones.
 */
export const REPEAT_FACTOR = 2;
export const REQUEST_COST_BYTES = 1024;
/** Refusals for repeats after which the requester is taken for a drain and dropped. */
export const MAX_REPEAT_REFUSALS = 3;
/** Segments whose served bytes are remembered per peer (far more than a store holds). */
const REMEMBERED_SEGMENTS = 4096;

interface Upload {
  readonly requestId: number;
  readonly bytes: Uint8Array;
  next: number;
  readonly end: number;
}

/**
 * Serves one peer's requests: chunked DATA frames, paced by backpressure and the upload caps,
 * each segment's bytes at most REPEAT_FACTOR times.
 */
export class Uploader {
  private readonly uploads = new Map<number, Upload>();
  /** Bytes promised to this peer per segment (charged when the response goes out). */
  private readonly served = new Map<SegmentKey, number>();
  private repeatRefusals = 0;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly transport: PeerTransport,
    private readonly clock: Clock,
    private readonly source: UploadSource,
    private readonly maxConcurrent: number,
    private readonly send: (message: PeerMessage) => void,
    /** The peer keeps asking for what it already had: drop it. */
    private readonly drained: (detail: string) => void,
  ) {}

  handleRequest(request: RequestMessage): void {
    const reject = (reason: RejectReason) => this.send({ type: FrameType.Reject, requestId: request.requestId, reason });
    if (!this.source.uploadsEnabled()) return reject(RejectReason.UploadDisabled);
    if (this.uploads.size >= this.maxConcurrent || this.uploads.has(request.requestId)) return reject(RejectReason.Busy);
    const bytes = this.source.segment(request.segment);
    if (!bytes) return reject(RejectReason.NotFound);
    // The length asked for is an upper bound: a requester that does not know the size yet asks
    // for a first piece and learns the size from the response.
    const end = request.length === 0 ? bytes.length : Math.min(bytes.length, request.offset + request.length);
    if (request.offset >= bytes.length) return reject(RejectReason.BadRange);
    if (!this.charge(segmentKey(request.segment), Math.max(end - request.offset, REQUEST_COST_BYTES), bytes.length)) {
      reject(RejectReason.RepeatLimit);
      if (++this.repeatRefusals >= MAX_REPEAT_REFUSALS)
        this.drained(`asked for segments it already had ${this.repeatRefusals} times too often`);
      return;
    }
    this.send({
      type: FrameType.Response,
      requestId: request.requestId,
      totalSize: bytes.length,
      offset: request.offset,
      length: end - request.offset,
    });
    this.uploads.set(request.requestId, { requestId: request.requestId, bytes, next: request.offset, end });
    this.pump();
  }

  /** Takes `cost` from the peer's budget for a segment; false when the budget is spent. */
  private charge(key: SegmentKey, cost: number, segmentSize: number): boolean {
    const spent = this.served.get(key) ?? 0;
    if (spent + cost > REPEAT_FACTOR * Math.max(segmentSize, REQUEST_COST_BYTES)) return false;
    this.served.delete(key); // re-insert: the Map's order is our age order
    this.served.set(key, spent + cost);
    if (this.served.size > REMEMBERED_SEGMENTS) this.served.delete(this.served.keys().next().value as SegmentKey);
    return true;
  }

  cancel(requestId: number): void {
    this.uploads.delete(requestId);
  }

  stop(): void {
    this.stopped = true;
    this.uploads.clear();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Sends chunks round-robin across this peer's uploads until the channel or the cap says wait. */
  private pump(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (!this.stopped && this.uploads.size > 0) {
      if (this.transport.bufferedAmount > HIGH_WATER_BYTES) return this.later(POLL_MS);
      for (const upload of [...this.uploads.values()]) {
        const size = Math.min(MAX_CHUNK_BYTES, upload.end - upload.next);
        const wait = this.source.uploadDelayMs(size);
        if (wait > 0) return this.later(wait);
        const chunk = upload.bytes.subarray(upload.next, upload.next + size);
        this.send({ type: FrameType.Data, requestId: upload.requestId, offset: upload.next, bytes: chunk });
        if (this.stopped) return;
        this.source.uploaded(size);
        upload.next += size;
        if (upload.next >= upload.end) this.uploads.delete(upload.requestId);
      }
    }
  }

  private later(ms: number): void {
    if (this.timer === undefined) this.timer = this.clock.setTimeout(() => ((this.timer = undefined), this.pump()), ms);
  }
}

/** Token bucket for an upload byte-rate cap; the rate may change (a share of a cap among peers). */
export class RateLimiter {
  private tokens: number | undefined;
  private last: number;
  private readonly rate: () => number;

  constructor(
    bytesPerSecond: number | (() => number),
    private readonly now: () => number,
  ) {
    this.rate = typeof bytesPerSecond === 'number' ? () => bytesPerSecond : bytesPerSecond;
    this.last = now();
  }

  /** Ms until `bytes` may be sent; when 0 the bytes are taken from the bucket. */
  delayFor(bytes: number): number {
    const rate = this.rate();
    if (!Number.isFinite(rate)) return 0;
    const burst = Math.max(rate / 4, MAX_CHUNK_BYTES);
    const now = this.now();
    this.tokens = Math.min(burst, (this.tokens ?? burst) + ((now - this.last) * rate) / 1000);
    this.last = now;
    if (this.tokens >= bytes) {
      this.tokens -= bytes;
      return 0;
    }
    return Math.ceil(((bytes - this.tokens) * 1000) / rate);
  }

  /** Returns bytes taken for a send that another limit then held back. */
  giveBack(bytes: number): void {
    if (this.tokens !== undefined) this.tokens += bytes;
  }
}
