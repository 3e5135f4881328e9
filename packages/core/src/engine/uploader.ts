import {
  FrameType,
  MAX_CHUNK_BYTES,
  RejectReason,
  type PeerMessage,
  type RequestMessage,
  type SegmentId,
} from '../protocol/index.js';
import type { Clock, PeerTransport, TimerHandle } from '../io/interfaces.js';

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

interface Upload {
  readonly requestId: number;
  readonly bytes: Uint8Array;
  next: number;
  readonly end: number;
}

/** Serves one peer's requests: chunked DATA frames, paced by backpressure and the upload cap. */
export class Uploader {
  private readonly uploads = new Map<number, Upload>();
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly transport: PeerTransport,
    private readonly clock: Clock,
    private readonly source: UploadSource,
    private readonly maxConcurrent: number,
    private readonly send: (message: PeerMessage) => void,
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

/** Token bucket for the upload byte-rate cap. */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly now: () => number,
    private readonly burstBytes = Math.max(bytesPerSecond / 4, MAX_CHUNK_BYTES),
  ) {
    this.tokens = this.burstBytes;
    this.last = now();
  }

  /** Ms until `bytes` may be sent; when 0 the bytes are taken from the bucket. */
  delayFor(bytes: number): number {
    if (!Number.isFinite(this.bytesPerSecond)) return 0;
    const now = this.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((now - this.last) * this.bytesPerSecond) / 1000);
    this.last = now;
    if (this.tokens >= bytes) {
      this.tokens -= bytes;
      return 0;
    }
    return Math.ceil(((bytes - this.tokens) * 1000) / this.bytesPerSecond);
  }
}
