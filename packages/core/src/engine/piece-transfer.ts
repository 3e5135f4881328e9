import type { SegmentId } from '../protocol/index.js';
import type { PeerFailure } from './fetch-contract.js';
import type { Peer } from './peer.js';
import { PeerTransfer, type TransferLimits } from './peer-transfer.js';
import type { Piece } from './piece-map.js';

/** What a piece transfer reports to the fetch it works for; each names the transfer it is about. */
export interface PieceEvents {
  /** The peer's answer: the segment's total size, as it claims. */
  sized(transfer: PieceTransfer, totalSize: number): void;
  /** Bytes at an offset of the segment; false when they do not continue this transfer's piece. */
  chunk(transfer: PieceTransfer, at: number, bytes: Uint8Array): boolean;
  delivered(transfer: PieceTransfer, bytes: number, ms: number): void;
  failed(transfer: PieceTransfer, failure: PeerFailure, detail: string): void;
}

/**
 * One peer's share of a segment fetch: the piece it was given (or, before anyone told the size,
 * the first pieceBytes), asked for and watched by a PeerTransfer (stall, pace, deadline).
 */
export class PieceTransfer {
  private transfer: PeerTransfer | undefined;

  constructor(
    readonly peer: Peer,
    private readonly piece: Piece | undefined,
    private readonly pieceBytes: number,
  ) {
    if (piece) piece.owner = peer.id;
  }

  /**
   * Sends the request. Kept apart from the constructor: a connection that fails while the
   * request is being sent reports it at once, and the fetch must know this transfer by then.
   */
  start(id: SegmentId, limits: TransferLimits, events: PieceEvents): void {
    const offset = this.piece ? this.piece.start + this.piece.filled : 0;
    const length = this.piece ? this.piece.end - offset : this.pieceBytes;
    this.transfer = new PeerTransfer(this.peer, limits, id, offset, length, {
      onResponse: (totalSize) => events.sized(this, totalSize),
      onChunk: (at, bytes) => events.chunk(this, at, bytes),
      onDone: (bytes, ms) => events.delivered(this, bytes, ms),
      onFail: (failure, detail) => events.failed(this, failure, detail),
    });
  }

  /** Stops asking the peer (it is told); PeerTransfer reports nothing after this. */
  cancel(): void {
    this.transfer?.cancel();
  }
}
