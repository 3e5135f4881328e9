import { GrowableBytes } from './growable-bytes.js';
import { PieceMap, type ByteSpan } from './piece-map.js';

/**
 * One segment's bytes as they come in: from peers in pieces (once a peer told the size), or
 * from the origin, whole or in the spans peers left missing. Counts what is in it by source.
 */
export class SegmentBytes {
  /** Grows as bytes arrive: a peer's size claim alone allocates nothing. */
  private buffer: GrowableBytes | undefined;
  private map: PieceMap | undefined;
  /** Bytes in the buffer that came from peers, and from the origin (whole responses). */
  p2pBytes = 0;
  httpBytes = 0;

  get pieces(): PieceMap | undefined {
    return this.map;
  }

  /** The segment's size, once a peer claimed it or the origin sent it. */
  get size(): number | undefined {
    return this.buffer?.length;
  }

  get received(): number {
    return this.map?.filledBytes ?? 0;
  }

  /** A peer told the size: pieces to pull from several peers, the first one already its own. */
  sized(totalSize: number, pieceBytes: number, firstOwner: string): void {
    this.map = new PieceMap(totalSize, pieceBytes);
    this.map.pieces[0]!.owner = firstOwner;
    this.buffer = new GrowableBytes(totalSize);
  }

  /** Peer bytes; false when they do not continue a piece that peer is fetching. */
  acceptPeer(peerId: string, at: number, chunk: Uint8Array): boolean {
    if (!this.buffer || !this.map?.accept(peerId, at, chunk.length)) return false;
    this.buffer.set(chunk, at);
    this.p2pBytes += chunk.length;
    return true;
  }

  /** What to ask the origin for: the missing spans, or (undefined) the whole segment. */
  missing(): Array<ByteSpan | undefined> {
    // Until a peer byte arrived, a size claim is only a claim: the whole segment, as the origin has it.
    return this.map && this.p2pBytes > 0 ? this.map.missingSpans() : [undefined];
  }

  /** Origin bytes: the whole segment (span undefined) or one missing span; false when they do not fill it. */
  acceptHttp(span: ByteSpan | undefined, data: Uint8Array): boolean {
    this.httpBytes += data.length;
    if (!span) this.buffer = GrowableBytes.of(data);
    else if (data.length === span.end - span.start && this.buffer) this.buffer.set(data, span.start);
    else return false;
    return true;
  }

  whole(): Uint8Array | undefined {
    return this.buffer?.whole();
  }

  /** Throws everything away (peer bytes rejected): the next bytes start afresh. */
  clear(): void {
    this.p2pBytes = 0;
    this.httpBytes = 0;
    this.map = undefined;
    this.buffer = undefined;
  }
}
