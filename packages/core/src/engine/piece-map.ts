/**
 * Which bytes of a segment are still missing, split into pieces that can come from different
 * peers at once. A piece remembers how much of it has arrived, so a piece whose peer failed
 * midway is resumed where it stopped: no byte is fetched twice.
 */
export interface Piece {
  readonly index: number;
  readonly start: number;
  readonly end: number; // exclusive
  /** Bytes of this piece that arrived, from its start. */
  filled: number;
  /** The peer fetching it now, if any. */
  owner: string | undefined;
}

export interface ByteSpan {
  readonly start: number;
  readonly end: number; // exclusive
}

export class PieceMap {
  readonly pieces: Piece[] = [];

  constructor(
    readonly size: number,
    pieceSize: number,
  ) {
    for (let start = 0, index = 0; start < size; start += pieceSize, index++) {
      this.pieces.push({ index, start, end: Math.min(size, start + pieceSize), filled: 0, owner: undefined });
    }
  }

  get complete(): boolean {
    return this.pieces.every((p) => p.start + p.filled === p.end);
  }

  get filledBytes(): number {
    return this.pieces.reduce((sum, p) => sum + p.filled, 0);
  }

  /** The first piece nobody is fetching and that is not complete. */
  nextUnowned(): Piece | undefined {
    return this.pieces.find((p) => p.owner === undefined && p.start + p.filled < p.end);
  }

  /** The piece a chunk at this offset belongs to, if the chunk continues it exactly. */
  accept(owner: string, offset: number, length: number): Piece | undefined {
    const piece = this.pieces.find((p) => p.owner === owner && p.start + p.filled === offset);
    if (!piece || offset + length > piece.end) return undefined;
    piece.filled += length;
    return piece;
  }

  release(owner: string): void {
    for (const piece of this.pieces) if (piece.owner === owner) piece.owner = undefined;
  }

  /** Contiguous runs of bytes not yet arrived (for HTTP Range requests). */
  missingSpans(): ByteSpan[] {
    const spans: ByteSpan[] = [];
    for (const piece of this.pieces) {
      const start = piece.start + piece.filled;
      if (start >= piece.end) continue;
      const last = spans.at(-1);
      if (last && last.end === start) spans[spans.length - 1] = { start: last.start, end: piece.end };
      else spans.push({ start, end: piece.end });
    }
    return spans;
  }
}
