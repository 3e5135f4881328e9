/** Smallest allocation once bytes start arriving (one piece's worth at the default piece size). */
const FIRST_CAPACITY = 128 * 1024;

/**
 * A segment's bytes as they arrive, of a size someone claimed. Memory follows the bytes written
 * (doubling, so copies stay linear), never the claim: a peer that says "64 MiB" and sends nothing
 * costs nothing.
 */
export class GrowableBytes {
  private data: Uint8Array;

  constructor(readonly length: number) {
    this.data = new Uint8Array(0);
  }

  /** Bytes that arrived whole (an HTTP body): no copy. */
  static of(bytes: Uint8Array): GrowableBytes {
    const grown = new GrowableBytes(bytes.length);
    grown.data = bytes;
    return grown;
  }

  /** Bytes allocated so far. */
  get capacity(): number {
    return this.data.length;
  }

  set(chunk: Uint8Array, at: number): void {
    const end = at + chunk.length;
    if (!Number.isInteger(at) || at < 0 || end > this.length) {
      throw new RangeError(`bytes ${at}+${chunk.length} outside a segment of ${this.length}`);
    }
    this.grow(end);
    this.data.set(chunk, at);
  }

  /** All `length` bytes (zeros where nothing was written). */
  whole(): Uint8Array {
    this.grow(this.length);
    return this.data;
  }

  private grow(end: number): void {
    if (end <= this.data.length) return;
    const capacity = Math.min(this.length, Math.max(end, FIRST_CAPACITY, this.data.length * 2));
    const data = new Uint8Array(capacity);
    data.set(this.data);
    this.data = data;
  }
}
