import { int, resolveOptionTable, type OptionsInput } from '../options/index.js';
import { HttpError, type HttpClient, type HttpRequest, type HttpResponse } from '../io/interfaces.js';

/** The client's tunables; the comment above a row is its doc (README tables: `npm run docs:options`). */
export const FETCH_HTTP_OPTIONS = {
  /** Abort a request that sends no byte for this long (and, unless `firstByteTimeoutMs` says otherwise, whose response headers take longer). */
  idleTimeoutMs: int(20_000, 100, 600_000, 'ms'),
};

export interface FetchHttpOptions extends OptionsInput<typeof FETCH_HTTP_OPTIONS> {
  /** Abort a request whose response headers take longer than this (ms); read per request, so it can follow the player's settings. Default: the idle timeout. */
  readonly firstByteTimeoutMs?: number | (() => number);
  /** Extra fetch options (credentials, headers) applied to every request. */
  readonly init?: RequestInit;
}

/** HttpClient over the platform's fetch, streaming the body so progress and timing are real. */
export function createFetchHttpClient(options: FetchHttpOptions = {}): HttpClient {
  const { idleTimeoutMs } = resolveOptionTable(FETCH_HTTP_OPTIONS, options, {
    prefix: 'createFetchHttpClient options',
    unknownFields: 'ignore',
  });
  return {
    async get(request: HttpRequest): Promise<HttpResponse> {
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      request.signal.addEventListener('abort', onAbort);
      let idleTimer: ReturnType<typeof setTimeout> | undefined;
      let timedOut: number | undefined;
      const arm = (ms: number) => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => ((timedOut = ms), controller.abort()), ms);
      };
      const armIdle = () => arm(idleTimeoutMs);
      try {
        const firstByte = typeof options.firstByteTimeoutMs === 'function' ? options.firstByteTimeoutMs() : options.firstByteTimeoutMs;
        arm(firstByte !== undefined && Number.isFinite(firstByte) && firstByte > 0 ? firstByte : idleTimeoutMs);
        const headers = new Headers(options.init?.headers);
        if (request.range) headers.set('Range', `bytes=${request.range.start}-${request.range.end ?? ''}`);
        const response = await fetch(request.url, { ...options.init, headers, signal: controller.signal });
        armIdle();
        request.onHeaders?.(response.status);
        if (!response.ok) throw new HttpError(`HTTP ${response.status} for ${request.url}`, response.status);
        if (request.range && response.status !== 206) {
          throw new HttpError(`origin ignored Range ${request.range.start}- for ${request.url}`, response.status);
        }
        const data = await readBody(response, request, armIdle);
        return { status: response.status, url: response.url || request.url, data };
      } catch (error) {
        if (error instanceof HttpError) throw error;
        if (request.signal.aborted) throw new HttpError('request aborted', 0, true);
        if (timedOut !== undefined) throw new HttpError(`no data for ${timedOut} ms from ${request.url}`, 0, false, true);
        throw new HttpError(`network error for ${request.url}: ${(error as Error).message}`, 0);
      } finally {
        clearTimeout(idleTimer);
        request.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

async function readBody(response: Response, request: HttpRequest, onData: () => void): Promise<Uint8Array> {
  const lengthHeader = response.headers.get('Content-Length');
  const total = lengthHeader === null ? undefined : Number(lengthHeader);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    onData();
    chunks.push(value);
    loaded += value.length;
    request.onProgress?.(loaded, total);
  }
  if (total !== undefined && Number.isFinite(total) && loaded !== total) {
    throw new HttpError(`body of ${loaded} bytes, Content-Length said ${total}`, response.status);
  }
  const data = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return data;
}
