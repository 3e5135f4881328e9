import type { SegmentId } from '../protocol/index.js';
import { HttpError, type ByteRange, type Clock, type HttpClient, type SegmentVerifier, type TimerHandle } from '../io/interfaces.js';
import type { Peer } from './peer.js';
import type { PeerPool } from './peer-pool.js';
import type { Plan } from './policy.js';

export interface SegmentRequest {
  readonly id: SegmentId;
  readonly url: string;
  /** For byte-range playlists: where the segment sits in the file at url. */
  readonly byteRange?: ByteRange;
  readonly durationS: number;
  /** Media time at which the segment starts. */
  readonly startS: number;
}

export type Source = 'http' | 'p2p' | 'mixed' | 'cache';

export interface SegmentResult {
  readonly bytes: Uint8Array;
  readonly source: Source;
  readonly httpBytes: number;
  readonly p2pBytes: number;
  /** performance-style ms: when the load was asked for, when bytes began to flow, first byte, end. */
  readonly requestedAt: number;
  readonly transferStartedAt: number;
  readonly firstByteAt: number;
  readonly endedAt: number;
}

export interface FetchCallbacks {
  onProgress(loaded: number, total: number | undefined): void;
  onSuccess(result: SegmentResult): void;
  onError(error: Error): void;
}

export interface FetchDeps {
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly pool: PeerPool;
  /** Checks bytes that came from peers before anyone sees them. */
  readonly verifier: SegmentVerifier | undefined;
  /** Ms without a byte from a peer after which the peer is given up on. */
  readonly peerStallMs: number;
  /** Counts accepted bytes as they arrive, by source. */
  countBytes(source: 'http' | 'p2p' | 'rejected', bytes: number): void;
  /** Peers sent bytes that failed verification: they are not to be trusted again. */
  peersCorrupted(peerIds: readonly string[], bytes: number): void;
  /** A peer that failed this fetch, for its record. */
  peerFailed(peer: Peer, reason: string): void;
  /** HTTP transfer measured: bytes in ms (feeds the HTTP estimate). */
  httpMeasured(bytes: number, ms: number, ttfbMs: number): void;
}

/**
 * Brings one segment in: waits for peers or downloads from them as the plan says, and fetches
 * over HTTP (a Range request for only the missing tail) whatever peers did not deliver in time.
 */
export class SegmentFetch {
  private buffer: Uint8Array | undefined;
  private received = 0;
  private httpBytes = 0;
  private p2pBytes = 0;
  private readonly requestedAt: number;
  private transferStartedAt: number | undefined;
  private firstByteAt: number | undefined;
  private timers: TimerHandle[] = [];
  private cancelPeer: (() => void) | undefined;
  private stopWaiting: (() => void) | undefined;
  private readonly httpAbort = new AbortController();
  private readonly triedPeers = new Set<string>();
  /** Peers whose bytes are in the buffer, for blame when verification fails. */
  private readonly contributors = new Set<string>();
  private verifying = false;
  private done = false;
  private giveUpAt = 0;

  constructor(
    private readonly deps: FetchDeps,
    readonly request: SegmentRequest,
    private readonly callbacks: FetchCallbacks,
  ) {
    this.requestedAt = deps.clock.now();
  }

  start(plan: Plan): void {
    this.giveUpAt = this.requestedAt + (plan.kind === 'http' ? 0 : plan.giveUpMs);
    if (plan.kind === 'http') return this.fromHttp();
    this.after(plan.giveUpMs, () => this.fallBackToHttp('peers did not deliver in time'));
    if (plan.kind === 'p2p') return this.fromPeers();
    this.stopWaiting = this.deps.pool.on('have', ({ peer, ids }) => {
      if (ids.some((id) => sameId(id, this.request.id)) && peer.has(this.request.id)) this.fromPeers();
    });
  }

  abort(): void {
    this.finish();
  }

  private fromPeers(): void {
    this.stopWaiting?.();
    this.stopWaiting = undefined;
    if (this.done || this.cancelPeer) return;
    const peer = this.deps.pool.peersWith(this.request.id, this.triedPeers)[0];
    if (!peer) return this.fallBackToHttp('no peer holds the segment');
    this.triedPeers.add(peer.id);
    this.transferStartedAt ??= this.deps.clock.now();
    const startedAt = this.deps.clock.now();
    const startBytes = this.received;
    let stallTimer = this.after(this.deps.peerStallMs, () => fail('stalled'));
    const fail = (reason: string) => {
      if (this.done || this.cancelPeer !== cancel) return;
      this.cancelPeer = undefined;
      cancel();
      this.deps.peerFailed(peer, reason);
      // Another peer if one has it and there is time; otherwise the origin.
      if (this.deps.clock.now() < this.giveUpAt - this.deps.peerStallMs) this.fromPeers();
      else this.fallBackToHttp(`peer ${reason}`);
    };
    const cancel = peer.download(this.request.id, this.received, 0, {
      onResponse: (totalSize) => {
        if (this.buffer && this.buffer.length !== totalSize) return fail(`claimed size ${totalSize}, expected ${this.buffer.length}`);
        this.buffer ??= new Uint8Array(totalSize);
      },
      onChunk: (offset, bytes) => {
        if (!this.buffer || offset !== this.received) return fail('sent bytes out of place');
        this.clearTimer(stallTimer);
        stallTimer = this.after(this.deps.peerStallMs, () => fail('stalled'));
        this.firstByteAt ??= this.deps.clock.now();
        this.buffer.set(bytes, offset);
        this.contributors.add(peer.id);
        this.received += bytes.length;
        this.p2pBytes += bytes.length;
        this.deps.countBytes('p2p', bytes.length);
        this.callbacks.onProgress(this.received, this.buffer.length);
      },
      onDone: () => {
        this.clearTimer(stallTimer);
        this.cancelPeer = undefined;
        peer.throughput.sample(this.received - startBytes, this.deps.clock.now() - startedAt);
        this.complete();
      },
      onFail: (reason) => fail(reason),
    });
    this.cancelPeer = cancel;
  }

  private fallBackToHttp(_reason: string): void {
    if (this.done) return;
    this.stopWaiting?.();
    this.stopWaiting = undefined;
    const cancel = this.cancelPeer;
    this.cancelPeer = undefined;
    cancel?.();
    this.fromHttp();
  }

  private fromHttp(): void {
    if (this.done) return;
    this.clearTimers();
    const offset = this.received;
    const base = this.request.byteRange;
    let range: ByteRange | undefined;
    if (base) range = { start: base.start + offset, ...(base.end !== undefined ? { end: base.end } : {}) };
    else if (offset > 0) range = { start: offset };
    const startedAt = this.deps.clock.now();
    this.transferStartedAt ??= startedAt;
    let headersAt = startedAt;
    let counted = 0;
    this.deps.http
      .get({
        url: this.request.url,
        ...(range ? { range } : {}),
        signal: this.httpAbort.signal,
        onHeaders: () => {
          headersAt = this.deps.clock.now();
        },
        onProgress: (loaded, total) => {
          this.firstByteAt ??= this.deps.clock.now();
          this.deps.countBytes('http', loaded - counted);
          counted = loaded;
          const whole = this.buffer?.length ?? (total === undefined ? undefined : offset + total);
          this.callbacks.onProgress(offset + loaded, whole);
        },
      })
      .then((response) => {
        if (this.done) return;
        if (counted < response.data.length) this.deps.countBytes('http', response.data.length - counted);
        this.deps.httpMeasured(response.data.length, this.deps.clock.now() - headersAt, headersAt - startedAt);
        this.httpBytes += response.data.length;
        if (offset === 0) {
          this.buffer = response.data;
        } else {
          if (!this.buffer || offset + response.data.length !== this.buffer.length) {
            return this.fail(new HttpError(`origin sent ${response.data.length} bytes for the missing ${this.buffer ? this.buffer.length - offset : '?'}`, response.status));
          }
          this.buffer.set(response.data, offset);
        }
        this.received = this.buffer.length;
        this.complete();
      })
      .catch((error: unknown) => {
        if (!this.done) this.fail(error instanceof Error ? error : new Error(String(error)));
      });
  }

  private complete(): void {
    if (this.done || !this.buffer || this.verifying) return;
    const verifier = this.deps.verifier;
    if (this.p2pBytes > 0 && verifier) {
      this.verifying = true;
      const bytes = this.buffer;
      verifier
        .verify(this.request, bytes)
        .then((verdict) => (verdict === 'mismatch' ? this.reject() : this.deliver()))
        .catch(() => this.reject())
        .finally(() => (this.verifying = false));
      return;
    }
    this.deliver();
  }

  /** Peer bytes failed verification: drop them all, blame their senders, fetch the whole segment over HTTP. */
  private reject(): void {
    if (this.done) return;
    this.verifying = false;
    this.deps.peersCorrupted([...this.contributors], this.p2pBytes);
    this.contributors.clear();
    this.p2pBytes = 0;
    this.httpBytes = 0;
    this.received = 0;
    this.buffer = undefined;
    this.fromHttp();
  }

  private deliver(): void {
    if (this.done || !this.buffer) return;
    const now = this.deps.clock.now();
    const result: SegmentResult = {
      bytes: this.buffer,
      source: this.httpBytes === 0 ? 'p2p' : this.p2pBytes === 0 ? 'http' : 'mixed',
      httpBytes: this.httpBytes,
      p2pBytes: this.p2pBytes,
      requestedAt: this.requestedAt,
      transferStartedAt: this.transferStartedAt ?? this.requestedAt,
      firstByteAt: this.firstByteAt ?? now,
      endedAt: now,
    };
    this.finish();
    this.callbacks.onSuccess(result);
  }

  private fail(error: Error): void {
    this.finish();
    this.callbacks.onError(error);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.clearTimers();
    this.stopWaiting?.();
    this.cancelPeer?.();
    this.httpAbort.abort();
  }

  private after(ms: number, fn: () => void): TimerHandle {
    const timer = this.deps.clock.setTimeout(fn, Math.max(0, ms));
    this.timers.push(timer);
    return timer;
  }

  private clearTimer(timer: TimerHandle): void {
    this.deps.clock.clearTimeout(timer);
    this.timers = this.timers.filter((t) => t !== timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) this.deps.clock.clearTimeout(timer);
    this.timers = [];
  }
}

function sameId(a: SegmentId, b: SegmentId): boolean {
  return a.track === b.track && a.seq === b.seq;
}
