import type { FetchCallbacks, LoadRequest } from '@shoal/core';
import type { ShakaAbortableOperation, ShakaLib, ShakaRequest, ShakaResponse } from './shaka-api.js';

/** Loads a segment through the engine: `callbacks` as ShoalSession.loadSegment takes them; returns the abort. */
export type SegmentLoad = (request: LoadRequest, callbacks: FetchCallbacks) => () => void;

/**
 * One Shaka segment request answered by Shoal's engine, as a Shaka scheme plugin answers: an
 * AbortableOperation of a Response, failures as shaka.util.Error (RECOVERABLE, so Shaka's own
 * retry parameters apply). timeMs is the transfer time only (from the first byte's request to the
 * last byte, never the wait for peers to announce the segment), so Shaka's bandwidth estimator
 * sees what the bytes cost; a segment from the store is `fromCache`, which Shaka leaves out of it.
 */
export function loadSegmentForShaka(
  lib: ShakaLib,
  uri: string,
  request: ShakaRequest,
  requestType: number,
  loadRequest: LoadRequest,
  load: SegmentLoad,
  headersReceived: (headers: Record<string, string>) => void,
): ShakaAbortableOperation<ShakaResponse> {
  const { Severity, Category, Code } = lib.util.Error;
  const error = (code: number, ...data: unknown[]) => new lib.util.Error(Severity.RECOVERABLE, Category.NETWORK, code, ...data);
  let cancel: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let fail: (reason: Error) => void = () => undefined;
  const finish = () => {
    clearTimeout(timer);
    cancel = undefined;
  };
  const promise = new Promise<ShakaResponse>((resolve, reject) => {
    fail = (reason) => {
      cancel?.();
      finish();
      reject(reason);
    };
    // Shaka's own HTTP plugins apply retryParameters.timeout to the whole request: so does this one.
    const timeoutMs = request.retryParameters.timeout;
    if (timeoutMs > 0) timer = setTimeout(() => fail(error(Code.TIMEOUT, uri, requestType)), timeoutMs);
    cancel = load(loadRequest, {
      onProgress: () => undefined,
      onSuccess: (result) => {
        finish();
        // A copy: Shaka hands the buffer on to MSE, and the engine keeps the original to upload to other viewers.
        const data = result.bytes.slice().buffer;
        headersReceived({});
        const response: ShakaResponse = {
          uri,
          originalUri: uri,
          data,
          headers: {},
          status: loadRequest.byteRange ? 206 : 200,
          timeMs: Math.max(1, result.endedAt - result.transferStartedAt),
          fromCache: result.source === 'cache',
          originalRequest: request,
        };
        // Low-latency mode reads segments as a stream: the whole segment is one chunk here.
        const streamed = request.streamDataCallback ? request.streamDataCallback(data) : Promise.resolve();
        streamed.then(() => resolve(response), reject);
      },
      onError: (e: Error & { status?: number; timedOut?: boolean }) => {
        finish();
        // As Shaka's HTTP plugins report them: a time limit is a TIMEOUT, an HTTP status BAD_HTTP_STATUS, anything else HTTP_ERROR.
        if (e.timedOut) reject(error(Code.TIMEOUT, uri, requestType));
        else if (e.status) reject(error(Code.BAD_HTTP_STATUS, uri, e.status, '', {}, requestType, uri));
        else reject(error(Code.HTTP_ERROR, uri, e, requestType));
      },
    });
  });
  return new lib.util.AbortableOperation(promise, () => {
    fail(error(Code.OPERATION_ABORTED, uri, requestType));
    return Promise.resolve();
  });
}
