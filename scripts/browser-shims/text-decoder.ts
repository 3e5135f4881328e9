// Stands in for the `text-decoder` package in browser bundles: streamx's setEncoding() is its one
// caller (push/end/remaining, utf8 only). The browser's TextDecoder does the work, so neither
// text-decoder nor its b4a dependency (~4.6 KB gzipped together) is shipped.

/** How many bytes at the end of `bytes` start a UTF-8 sequence that is not complete yet. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

export default class StreamTextDecoder {
  readonly encoding = 'utf8';
  private readonly decoder = new TextDecoder('utf-8');
  private pending = new Uint8Array(0);

  constructor(encoding: string = 'utf8') {
    const name = String(encoding).toLowerCase();
    if (name !== 'utf8' && name !== 'utf-8') throw new Error(`Unsupported encoding in the browser build: ${encoding} (only utf8)`);
  }

  /** Bytes held back because they end in the middle of a character. */
  get remaining() {
    return this.pending.length;
  }

  push(data: string | Uint8Array): string {
    if (typeof data === 'string') return data;
    // A character is at most 4 bytes, so the held-back bytes plus the last 3 new ones decide.
    const last = data.subarray(Math.max(0, data.byteLength - 3));
    const tail = new Uint8Array(this.pending.length + last.length);
    tail.set(this.pending);
    tail.set(last, this.pending.length);
    this.pending = tail.slice(tail.length - incompleteTail(tail));
    return this.decoder.decode(data, { stream: true });
  }

  write(data: string | Uint8Array): string {
    return this.push(data);
  }

  end(data?: string | Uint8Array): string {
    const head = data ? this.push(data) : '';
    this.pending = new Uint8Array(0);
    return head + this.decoder.decode();
  }
}
