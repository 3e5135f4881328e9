/**
 * The origin (a CDN edge) for simulated viewers: answers after its latency, at the lower of its
 * per-request bandwidth and the viewer's downlink (which peers share), serves only listed
 * segments, and counts what it serves per segment.
 */
import { HttpError, type HttpClient, type HttpRequest, type HttpResponse } from '@shoal/core';
import type { SimClock } from './sim-clock.js';
import type { Pipe } from './sim-link.js';
import type { SimStream } from './sim-stream.js';

export class SimOrigin {
  servedBytes = 0;
  /** Requests that carried bytes of each segment (a fetch in two Range requests counts twice). */
  readonly fetchesBySeq = new Map<number, number>();

  constructor(
    private readonly clock: SimClock,
    private readonly stream: SimStream,
    private readonly latencyMs: number,
    /** Bytes per ms per request. */
    private readonly rate: number,
  ) {}

  client(downlink: Pipe): HttpClient {
    return { get: (request) => this.serve(request, downlink) };
  }

  /** A small request (playlist, init segment): resolves after the round trip. */
  roundTrip(): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, 2 * this.latencyMs));
  }

  private serve(request: HttpRequest, downlink: Pipe): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const seq = this.stream.seqOf(request.url);
      const now = this.clock.now();
      const listed = seq >= 0 && this.stream.availableAt(seq) <= now && seq <= this.stream.window(now).last;
      const size = this.stream.bytesOf(seq);
      const start = request.range?.start ?? 0;
      const end = Math.min(size, request.range?.end === undefined ? size : request.range.end + 1);
      const length = Math.max(0, end - start);
      const firstByte = now + this.latencyMs;
      const done = Math.max(firstByte + length / this.rate, downlink.carry(length, firstByte));
      const timer = this.clock.setTimeout(() => {
        request.signal.removeEventListener('abort', onAbort);
        if (!listed) return reject(new HttpError('HTTP 404', 404));
        this.servedBytes += length;
        this.fetchesBySeq.set(seq, (this.fetchesBySeq.get(seq) ?? 0) + 1);
        request.onHeaders?.(request.range ? 206 : 200);
        request.onProgress?.(length, length);
        resolve({ status: request.range ? 206 : 200, url: request.url, data: new Uint8Array(length) });
      }, done - now);
      const onAbort = (): void => {
        this.clock.clearTimeout(timer);
        reject(new HttpError('aborted', 0, true));
      };
      request.signal.addEventListener('abort', onAbort);
    });
  }
}
