import { HttpError, type ByteRange } from '../io/interfaces.js';
import type { FetchDeps, SegmentRequest } from './fetch-contract.js';
import type { ByteSpan } from './piece-map.js';
import type { SegmentBytes } from './segment-bytes.js';

export interface HttpLegEvents {
  /** Bytes arrived (counted once, as they come). */
  counted(bytes: number): void;
  /** loaded: bytes of this one response so far; total: its size, when known. */
  progress(loaded: number, total: number | undefined): void;
}

/**
 * One round of origin requests for a segment: the whole of it, or one Range request per span
 * peers left missing, written into the segment's bytes. Stopping it aborts every request, and
 * nothing it still receives is counted or written.
 */
export class HttpLeg {
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    private readonly deps: Pick<FetchDeps, 'clock' | 'http' | 'httpMeasured'>,
    private readonly request: SegmentRequest,
    private readonly bytes: SegmentBytes,
    private readonly events: HttpLegEvents,
  ) {}

  /** Resolves once every missing byte is in; rejects with the first request that failed. */
  run(): Promise<void> {
    return Promise.all(this.bytes.missing().map((span) => this.fetchSpan(span))).then(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private async fetchSpan(span: ByteSpan | undefined): Promise<void> {
    const { clock } = this.deps;
    const startedAt = clock.now();
    let headersAt = startedAt;
    let counted = 0;
    const count = (bytes: number) => {
      counted += bytes;
      this.events.counted(bytes);
    };
    const range = this.rangeOf(span);
    const response = await this.deps.http.get({
      url: this.request.url,
      ...(range ? { range } : {}),
      signal: this.abort.signal,
      onHeaders: () => (headersAt = clock.now()),
      onProgress: (loaded, total) => {
        if (this.stopped) return;
        count(loaded - counted);
        this.events.progress(loaded, total);
      },
    });
    if (this.stopped) return;
    if (counted < response.data.length) count(response.data.length - counted);
    this.deps.httpMeasured(response.data.length, clock.now() - headersAt, headersAt - startedAt);
    if (!this.bytes.acceptHttp(span, response.data)) {
      throw new HttpError(
        `origin sent ${response.data.length} bytes for the ${span ? span.end - span.start : 'whole'} missing`,
        response.status,
      );
    }
  }

  /** Where a span sits in the file at the request's URL (byte-range playlists offset it). */
  private rangeOf(span: ByteSpan | undefined): ByteRange | undefined {
    const base = this.request.byteRange;
    if (!span) return base;
    const start = base?.start ?? 0;
    return { start: start + span.start, end: start + span.end - 1 };
  }
}
