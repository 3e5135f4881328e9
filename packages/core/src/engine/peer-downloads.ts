import type { FetchDeps, SegmentRequest } from './fetch-contract.js';
import type { FetchLedger } from './fetch-ledger.js';
import type { Step } from './fetch-phases.js';
import type { FetchTiming } from './fetch-timing.js';
import type { Peer } from './peer.js';
import type { TransferLimits } from './peer-transfer.js';
import { PieceTransfer, type PieceEvents } from './piece-transfer.js';
import type { SegmentBytes } from './segment-bytes.js';

/** What the downloads report to their fetch. */
export interface DownloadsHost {
  /** Queued behind the step under way, if any: what the downloads found out never runs nested. */
  step(step: Step): void;
  onProgress(loaded: number, total: number | undefined): void;
}

/**
 * A segment fetch's peers phase: which peer pulls which piece, which peers failed it. Every
 * outcome that moves the fetch on goes back to it as a step.
 */
export class PeerDownloads {
  /** Transfers in flight, by peer id. */
  private readonly transfers = new Map<string, PieceTransfer>();
  private readonly failedPeers = new Set<string>();

  constructor(
    private readonly deps: FetchDeps,
    private readonly request: SegmentRequest,
    private readonly bytes: SegmentBytes,
    private readonly ledger: FetchLedger,
    private readonly timing: FetchTiming,
    private readonly limits: TransferLimits,
    private readonly host: DownloadsHost,
  ) {}

  get active(): number {
    return this.transfers.size;
  }

  get anyFailed(): boolean {
    return this.failedPeers.size > 0;
  }

  /** Starts downloads from as many peers as useful: one until the size is known, then one per piece. */
  fill(): void {
    const busy = new Set([...this.failedPeers, ...this.transfers.keys()]);
    for (const peer of this.deps.pool.peersWith(this.request.id, busy)) {
      if (this.transfers.size >= (this.bytes.pieces ? this.deps.maxPeersPerSegment : 1)) break;
      if (!this.canKeepPace(peer)) continue;
      if (!this.next(peer)) break;
    }
  }

  /** Asks one peer for the next piece nobody is fetching. False when there is none. */
  next(peer: Peer): boolean {
    const pieces = this.bytes.pieces;
    const piece = pieces?.nextUnowned();
    if (pieces && !piece) return false;
    this.timing.transferStarted();
    const transfer = new PieceTransfer(peer, piece, this.deps.pieceBytes);
    this.transfers.set(peer.id, transfer);
    transfer.start(this.request.id, this.limits, this.events);
    return true;
  }

  cancelAll(): void {
    for (const transfer of [...this.transfers.values()]) {
      this.forget(transfer);
      transfer.cancel();
    }
  }

  /** A peer measured too slow to bring a piece before the deadline is not asked: HTTP is sooner. */
  private canKeepPace(peer: Peer): boolean {
    const now = this.deps.clock.now();
    if (!peer.throughput.decides(now)) return true;
    return now + this.deps.pieceBytes / peer.throughput.bytesPerMs(0) <= this.limits.giveUpAt();
  }

  private readonly events: PieceEvents = {
    sized: (transfer, totalSize) => {
      if (!this.isCurrent(transfer)) return;
      const peerId = transfer.peer.id;
      // The manifest's size is the truth: a peer contradicting it is lying, and must not set
      // the size that honest peers are then measured against.
      const trueSize = this.deps.verifier?.knownSize?.(this.request);
      if (trueSize !== undefined && trueSize !== totalSize) {
        this.forget(transfer);
        transfer.cancel();
        this.failedPeers.add(peerId);
        this.deps.peerLied(peerId, `claimed segment size ${totalSize}, the manifest says ${trueSize}`);
        return this.host.step({ kind: 'peer-failed' });
      }
      this.ledger.claimSize(peerId, totalSize);
      const pieces = this.bytes.pieces;
      if (pieces && pieces.size !== totalSize) {
        // Two peers disagree and nothing here says who is right: blame nobody yet, take the
        // whole segment from the origin, and judge every claim against its size then.
        const detail = `peers disagree on the size (${pieces.size} and ${totalSize} bytes)`;
        return this.host.step({ kind: 'reject', rejection: { blame: false, code: 'size-dispute', detail } });
      }
      if (pieces) return;
      this.bytes.sized(totalSize, this.deps.pieceBytes, peerId);
      this.host.step({ kind: 'ask-peers' }); // the size is known: more peers for the other pieces
    },
    chunk: (transfer, at, chunk) => {
      if (!this.bytes.acceptPeer(transfer.peer.id, at, chunk)) return false;
      this.timing.firstByte();
      this.ledger.recordBytes(transfer.peer.id, at, chunk.length);
      this.deps.countBytes('p2p', chunk.length);
      this.host.onProgress(this.bytes.received, this.bytes.size);
      return true;
    },
    delivered: (transfer, bytes, ms) => {
      if (!this.isCurrent(transfer)) return;
      this.forget(transfer);
      transfer.peer.throughput.delivered(bytes, ms, this.deps.clock.now());
      this.deps.peerDelivered(transfer.peer);
      this.host.step(this.bytes.pieces?.complete ? { kind: 'assembled' } : { kind: 'next-piece', peer: transfer.peer });
    },
    failed: (transfer, failure, detail) => {
      if (!this.isCurrent(transfer)) return;
      this.forget(transfer);
      this.failedPeers.add(transfer.peer.id);
      this.deps.peerFailed(transfer.peer, failure, detail);
      this.host.step({ kind: 'peer-failed' });
    },
  };

  private isCurrent(transfer: PieceTransfer): boolean {
    return this.transfers.get(transfer.peer.id) === transfer;
  }

  /** The transfer is over: its peer no longer holds a piece. */
  private forget(transfer: PieceTransfer): void {
    this.transfers.delete(transfer.peer.id);
    this.bytes.pieces?.release(transfer.peer.id);
  }
}
