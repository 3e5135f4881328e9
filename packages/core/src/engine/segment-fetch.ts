import { HttpError, type ByteRange, type TimerHandle } from '../io/interfaces.js';
import type { FetchCallbacks, FetchDeps, HttpReason, SegmentRequest, SegmentResult } from './fetch-contract.js';
import type { Peer } from './peer.js';
import { GrowableBytes } from './growable-bytes.js';
import { guiltyPeers, PeerBytes, type PeerSpan } from './peer-bytes.js';
import { PeerTransfer } from './peer-transfer.js';
import { PieceMap } from './piece-map.js';
import type { Plan } from './policy.js';
import { rangesCover } from './ranges.js';

/** While waiting for peers, how often the reason to wait is looked at again. */
const WAIT_RECHECK_MS = 250;

/**
 * Brings one segment in: waits for peers or pulls it from them (in pieces, from several at once)
 * as the plan says, and fetches over HTTP (Range requests for only the missing bytes) whatever
 * peers did not deliver in time.
 */
export class SegmentFetch {
  /** Grows as bytes arrive: a peer's size claim alone allocates nothing. */
  private buffer: GrowableBytes | undefined;
  private pieces: PieceMap | undefined;
  private httpBytes = 0;
  /** HTTP bytes counted so far, as they arrive (httpBytes counts whole responses). */
  private httpCounted = 0;
  private p2pBytes = 0;
  private readonly requestedAt: number;
  private transferStartedAt: number | undefined;
  private firstByteAt: number | undefined;
  private timers: TimerHandle[] = [];
  /** Peer downloads in flight, by peer id. */
  private readonly active = new Map<string, PeerTransfer>();
  private stopWaiting: (() => void) | undefined;
  private readonly httpAbort = new AbortController();
  private readonly failedPeers = new Set<string>();
  /** Which peer sent which bytes of the buffer, for blame when verification fails. */
  private readonly peerBytes = new PeerBytes();
  /** Peer bytes that failed verification, from several peers: judged against the origin's copy once it is here. */
  private suspect: { bytes: Uint8Array; spans: readonly PeerSpan[]; p2pBytes: number } | undefined;
  private verifying = false;
  /** Total size each peer claimed; checked against the origin's copy when one arrives. */
  private readonly sizeClaims = new Map<string, number>();
  private usingHttp = false;
  private httpReason: HttpReason | undefined;
  private done = false;
  private giveUpAt = 0;
  private deadline: TimerHandle | undefined;

  constructor(
    private readonly deps: FetchDeps,
    readonly request: SegmentRequest,
    private readonly callbacks: FetchCallbacks,
  ) {
    this.requestedAt = deps.clock.now();
  }

  /** replan: the decision made afresh, to stop a wait whose reason went away. */
  start(plan: Plan, replan?: () => Plan): void {
    if (plan.kind === 'http') return this.fromHttp('plan');
    this.setDeadline(this.requestedAt + plan.giveUpMs);
    if (plan.kind === 'p2p') return this.fromPeers();
    this.stopWaiting = this.deps.pool.on('have', ({ peer, ranges }) => {
      if (rangesCover(ranges, this.request.id) && peer.has(this.request.id)) this.endWait(replan?.());
    });
    if (replan) this.recheckWait(replan);
  }

  /**
   * A peer that holds the segment turned up while we waited: from here on it is a download like
   * any other, with the time a download decided now would get (a wait's deadline was set for
   * peers that might never come, and is often nearly spent by then).
   */
  private endWait(plan: Plan | undefined): void {
    if (plan?.kind === 'p2p') this.setDeadline(Math.max(this.giveUpAt, this.deps.clock.now() + plan.giveUpMs));
    this.fromPeers();
  }

  private setDeadline(giveUpAt: number): void {
    if (this.deadline !== undefined) this.clearTimer(this.deadline);
    this.giveUpAt = giveUpAt;
    this.deadline = this.after(giveUpAt - this.deps.clock.now(), () => this.fallBackToHttp('deadline'));
  }

  /**
   * A wait rests on a belief that can turn false: the tracker answers that nobody else is here,
   * or the viewer expected to fetch a live segment first leaves. Waiting on then only drains the
   * buffer, so the decision is made again now and then.
   */
  private recheckWait(replan: () => Plan): void {
    const timer = this.after(WAIT_RECHECK_MS, () => {
      this.clearTimer(timer);
      if (this.done || this.usingHttp || !this.stopWaiting) return;
      const plan = replan();
      if (plan.kind === 'http') return this.fallBackToHttp('replan');
      if (plan.kind === 'p2p') return this.endWait(plan);
      this.recheckWait(replan);
    });
  }

  /** Stops the fetch; returns the bytes it had brought in (counted already), now abandoned. */
  abort(): number {
    if (this.done) return 0;
    this.finish();
    return this.p2pBytes + this.httpCounted;
  }

  private get received(): number {
    return this.pieces?.filledBytes ?? 0;
  }

  /** Starts downloads from as many peers as useful: one until the size is known, then one per piece. */
  private fromPeers(): void {
    this.stopWaiting?.();
    this.stopWaiting = undefined;
    if (this.done || this.usingHttp) return;
    const busy = new Set([...this.failedPeers, ...this.active.keys()]);
    for (const peer of this.deps.pool.peersWith(this.request.id, busy)) {
      if (this.active.size >= (this.pieces ? this.deps.maxPeersPerSegment : 1)) break;
      if (!this.canKeepPace(peer)) continue;
      if (!this.startPiece(peer)) break;
    }
    if (this.active.size === 0 && !this.pieces?.complete) this.fallBackToHttp(this.failedPeers.size > 0 ? 'peer-failed' : 'no-peer');
  }

  /** A peer measured too slow to bring a piece before the deadline is not asked: HTTP is sooner. */
  private canKeepPace(peer: Peer): boolean {
    const now = this.deps.clock.now();
    if (!peer.throughput.decides(now)) return true;
    return now + this.deps.pieceBytes / peer.throughput.bytesPerMs(0) <= this.giveUpAt;
  }

  /** Asks one peer for the next piece nobody is fetching. False when there is none. */
  private startPiece(peer: Peer): boolean {
    const piece = this.pieces?.nextUnowned();
    if (this.pieces && !piece) return false;
    const offset = piece ? piece.start + piece.filled : 0;
    const length = piece ? piece.end - offset : this.deps.pieceBytes;
    if (piece) piece.owner = peer.id;
    this.transferStartedAt ??= this.deps.clock.now();
    const stop = () => {
      this.active.delete(peer.id);
      this.pieces?.release(peer.id);
    };
    const limits = { clock: this.deps.clock, peerStallMs: this.deps.peerStallMs, giveUpAt: () => this.giveUpAt };
    // Assigned once constructed: a connection that fails while the request is being sent
    // reports the failure from inside the constructor, while nothing is active for this peer yet.
    let transfer: PeerTransfer | undefined;
    transfer = new PeerTransfer(peer, limits, this.request.id, offset, length, {
      onResponse: (totalSize) => {
        // The manifest's size is the truth: a peer contradicting it is lying, and must not set
        // the size that honest peers are then measured against.
        const trueSize = this.deps.verifier?.knownSize?.(this.request);
        if (trueSize !== undefined && trueSize !== totalSize) {
          transfer?.cancel();
          stop();
          this.failedPeers.add(peer.id);
          this.deps.peerLied(peer.id, `claimed segment size ${totalSize}, the manifest says ${trueSize}`);
          return this.continueAfterFailure();
        }
        this.sizeClaims.set(peer.id, totalSize);
        if (this.pieces && this.pieces.size !== totalSize) {
          // Two peers disagree and nothing here says who is right: blame nobody yet, take the
          // whole segment from the origin, and judge every claim against its size then.
          this.dropPeerTransfers();
          return this.reject(false, `peers disagree on the size (${this.pieces.size} and ${totalSize} bytes)`);
        }
        if (!this.pieces) {
          this.pieces = new PieceMap(totalSize, this.deps.pieceBytes);
          this.pieces.pieces[0]!.owner = peer.id;
          this.buffer = new GrowableBytes(totalSize);
          this.fromPeers(); // the size is known: bring in more peers for the other pieces
        }
      },
      onChunk: (at, chunk) => {
        if (!this.buffer || !this.pieces?.accept(peer.id, at, chunk.length)) return false;
        this.firstByteAt ??= this.deps.clock.now();
        this.buffer.set(chunk, at);
        this.peerBytes.record(peer.id, at, chunk.length);
        this.p2pBytes += chunk.length;
        this.deps.countBytes('p2p', chunk.length);
        this.callbacks.onProgress(this.received, this.buffer.length);
        return true;
      },
      onDone: (bytes, ms) => {
        stop();
        peer.throughput.delivered(bytes, ms, this.deps.clock.now());
        this.deps.peerDelivered(peer);
        if (this.pieces?.complete) return this.complete();
        if (!this.startPiece(peer) && this.active.size === 0) this.fallBackToHttp('peer-failed');
      },
      onFail: (failure, detail) => {
        if (this.done || this.active.get(peer.id) !== transfer) return;
        stop();
        this.failedPeers.add(peer.id);
        this.deps.peerFailed(peer, failure, detail);
        this.continueAfterFailure();
      },
    });
    if (!transfer.ended) this.active.set(peer.id, transfer);
    return true;
  }

  /** A peer dropped out: others take over while there is time for them, else HTTP. */
  private continueAfterFailure(): void {
    if (this.done) return;
    if (this.deps.clock.now() < this.giveUpAt - this.deps.peerStallMs) this.fromPeers();
    else this.fallBackToHttp('peer-failed');
  }

  private fallBackToHttp(reason: HttpReason): void {
    if (this.done || this.usingHttp) return;
    this.dropPeerTransfers();
    this.fromHttp(reason);
  }

  private dropPeerTransfers(): void {
    this.stopWaiting?.();
    this.stopWaiting = undefined;
    for (const [peerId, transfer] of [...this.active]) {
      transfer.cancel();
      this.pieces?.release(peerId);
    }
    this.active.clear();
  }

  /** Fetches what is missing over HTTP: everything, or one Range request per missing span. */
  private fromHttp(reason: HttpReason): void {
    if (this.done) return;
    this.usingHttp = true;
    this.httpReason = reason; // a reject starts over: its reason replaces the first one
    this.clearTimers();
    this.transferStartedAt ??= this.deps.clock.now();
    // Until a peer byte arrived, a size claim is only a claim: the whole segment, as the origin has it.
    const spans = this.pieces && this.p2pBytes > 0 ? this.pieces.missingSpans() : [undefined];
    Promise.all(spans.map((span) => this.httpSpan(span)))
      .then(() => this.complete())
      .catch((error: unknown) => {
        if (this.done) return;
        // Completing what peers sent failed (e.g. a peer claimed a wrong size): once, the whole segment over HTTP.
        if (this.p2pBytes > 0 && !(error instanceof HttpError && error.aborted)) {
          return this.reject(false, `completing the peer bytes over HTTP failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        this.fail(error instanceof Error ? error : new Error(String(error)));
      });
  }

  /** One HTTP request: the whole segment (span undefined) or bytes [start, end) of it. */
  private async httpSpan(span: { start: number; end: number } | undefined): Promise<void> {
    const base = this.request.byteRange;
    let range: ByteRange | undefined;
    if (span) range = { start: (base?.start ?? 0) + span.start, end: (base?.start ?? 0) + span.end - 1 };
    else if (base) range = base;
    const startedAt = this.deps.clock.now();
    let headersAt = startedAt;
    let counted = 0;
    const response = await this.deps.http.get({
      url: this.request.url,
      ...(range ? { range } : {}),
      signal: this.httpAbort.signal,
      onHeaders: () => (headersAt = this.deps.clock.now()),
      onProgress: (loaded, total) => {
        if (this.done) return;
        this.firstByteAt ??= this.deps.clock.now();
        this.countHttp(loaded - counted);
        counted = loaded;
        this.callbacks.onProgress(this.received + loaded, this.buffer?.length ?? total);
      },
    });
    if (this.done) return;
    if (counted < response.data.length) this.countHttp(response.data.length - counted);
    this.deps.httpMeasured(response.data.length, this.deps.clock.now() - headersAt, headersAt - startedAt);
    this.httpBytes += response.data.length;
    if (!span) {
      this.buffer = GrowableBytes.of(response.data);
      return;
    }
    if (response.data.length !== span.end - span.start || !this.buffer) {
      throw new HttpError(`origin sent ${response.data.length} bytes for the ${span.end - span.start} missing`, response.status);
    }
    this.buffer.set(response.data, span.start);
  }

  private countHttp(bytes: number): void {
    this.httpCounted += bytes;
    this.deps.countBytes('http', bytes);
  }

  private complete(): void {
    if (this.done || !this.buffer || this.verifying) return;
    if (this.suspect && this.p2pBytes === 0) this.attribute(this.buffer.whole());
    if (this.p2pBytes === 0) this.judgeSizeClaims(this.buffer.length);
    const verifier = this.deps.verifier;
    if (this.p2pBytes > 0 && verifier) {
      this.verifying = true;
      verifier
        .verify(this.request, this.buffer.whole())
        .then((verdict) => {
          if (verdict === 'mismatch') this.reject(true, 'hash mismatch');
          else if (verdict === 'unverifiable') this.reject(false, 'the hash manifest does not list it (yet)');
          else this.deliver();
        })
        .catch((error: unknown) => this.reject(false, `verification failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.verifying = false));
      return;
    }
    this.deliver();
  }

  /**
   * Peer bytes failed verification: drop them all, blame their senders, fetch the whole segment
   * over HTTP. blame = false: they could not be verified (or disagree with the origin on the
   * size): dropped and refetched the same way, but nobody is banned.
   */
  private reject(blame: boolean, reason: string): void {
    if (this.done) return;
    this.verifying = false;
    const senders = this.peerBytes.peers();
    const spans = this.peerBytes.take();
    if (blame && senders.length > 1 && this.buffer) {
      // Several peers sent pieces: wait for the origin's copy to tell which of them lied.
      this.suspect = { bytes: this.buffer.whole(), spans, p2pBytes: this.p2pBytes };
    } else if (blame) {
      this.deps.peersCorrupted(senders, this.p2pBytes);
    } else {
      this.deps.peerBytesDropped(this.p2pBytes, reason);
    }
    this.p2pBytes = 0;
    this.httpBytes = 0;
    this.pieces = undefined;
    this.buffer = undefined;
    this.fromHttp('rejected');
  }

  private deliver(): void {
    if (this.done || !this.buffer) return;
    const now = this.deps.clock.now();
    const result: SegmentResult = {
      bytes: this.buffer.whole(),
      source: this.httpBytes === 0 ? 'p2p' : this.p2pBytes === 0 ? 'http' : 'mixed',
      httpBytes: this.httpBytes,
      p2pBytes: this.p2pBytes,
      ...(this.httpBytes > 0 && this.httpReason ? { httpReason: this.httpReason } : {}),
      requestedAt: this.requestedAt,
      transferStartedAt: this.transferStartedAt ?? this.requestedAt,
      firstByteAt: this.firstByteAt ?? now,
      endedAt: now,
    };
    this.finish();
    this.callbacks.onSuccess(result);
  }

  /** With the origin's copy in hand: a peer that claimed another size lied. */
  private judgeSizeClaims(trueSize: number): void {
    for (const [peerId, claimed] of this.sizeClaims) {
      if (claimed !== trueSize) this.deps.peerLied(peerId, `claimed segment size ${claimed}, the origin's is ${trueSize}`);
    }
    this.sizeClaims.clear();
  }

  /** Bans exactly the peers whose bytes differ from the origin's. */
  private attribute(truth: Uint8Array): void {
    const suspect = this.suspect!;
    this.suspect = undefined;
    this.deps.peersCorrupted(guiltyPeers(suspect.spans, suspect.bytes, truth), suspect.p2pBytes);
  }

  private fail(error: Error): void {
    if (this.suspect) {
      // No origin copy to judge by: the bytes are dropped, nobody is banned.
      this.deps.peersCorrupted([], this.suspect.p2pBytes);
      this.suspect = undefined;
    }
    this.finish();
    this.callbacks.onError(error);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.clearTimers();
    this.stopWaiting?.();
    for (const transfer of this.active.values()) transfer.cancel();
    this.active.clear();
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
