// One segment answered for Shaka: the Response's timing and flags (what its bandwidth estimator
// reads), failures as shaka.util.Error, abort and timeout. The engine is a scripted load function.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FetchCallbacks, LoadRequest, SegmentResult } from '@shoal/core';
import { loadSegmentForShaka } from '../src/segment-loader.js';
import { segmentRequest, StubShakaError, stubShaka } from './stub-shaka.js';

const URI = 'https://cdn.test/show/v0/seg_7.m4s';
const LOAD: LoadRequest = { id: { track: 1, seq: 7 }, url: URI, durationS: 4, startS: 28, live: false };

function result(overrides: Partial<SegmentResult> = {}): SegmentResult {
  const bytes = new Uint8Array([1, 2, 3, 4]);
  return {
    bytes,
    source: 'p2p',
    httpBytes: 0,
    p2pBytes: 4,
    requestedAt: 1000,
    transferStartedAt: 1500,
    firstByteAt: 1550,
    endedAt: 1750,
    ...overrides,
  };
}

/** Runs one load whose engine answers through `answer`; returns the operation, the abort calls and the callbacks. */
function load(answer: (callbacks: FetchCallbacks) => void, request = segmentRequest()) {
  const { lib } = stubShaka();
  const aborts: number[] = [];
  const headers: Array<Record<string, string>> = [];
  const operation = loadSegmentForShaka(
    lib,
    URI,
    request,
    1,
    LOAD,
    (_r, callbacks) => (answer(callbacks), () => aborts.push(1)),
    (h) => headers.push(h),
  );
  return { operation, aborts, headers };
}

afterEach(() => vi.useRealTimers());

describe('loadSegmentForShaka', () => {
  it('answers with a copy of the bytes, the transfer time only (not the wait for peers), headers received once', async () => {
    const answered = result();
    const { operation, headers } = load((c) => c.onSuccess(answered));
    const response = await operation.promise;
    expect(new Uint8Array(response.data)).toEqual(answered.bytes);
    expect(response.data).not.toBe(answered.bytes.buffer);
    expect(response.timeMs).toBe(250); // endedAt - transferStartedAt
    expect(response.fromCache).toBe(false);
    expect(response.status).toBe(200);
    expect(headers).toEqual([{}]);
  });

  it("a segment from the store is fromCache: Shaka's estimator leaves it out", async () => {
    const response = await load((c) => c.onSuccess(result({ source: 'cache' }))).operation.promise;
    expect(response.fromCache).toBe(true);
  });

  it('failures are RECOVERABLE shaka errors: HTTP status, timeout, network', async () => {
    const status = Object.assign(new Error('gone'), { status: 404 });
    await expect(load((c) => c.onError(status)).operation.promise).rejects.toMatchObject({
      code: StubShakaError.Code.BAD_HTTP_STATUS,
      severity: 1,
    });
    const timedOut = Object.assign(new Error('slow'), { timedOut: true });
    await expect(load((c) => c.onError(timedOut)).operation.promise).rejects.toMatchObject({ code: StubShakaError.Code.TIMEOUT });
    await expect(load((c) => c.onError(new Error('reset'))).operation.promise).rejects.toMatchObject({
      code: StubShakaError.Code.HTTP_ERROR,
    });
  });

  it('abort cancels the engine load and rejects with OPERATION_ABORTED', async () => {
    const { operation, aborts } = load(() => undefined);
    await operation.abort();
    await expect(operation.promise).rejects.toMatchObject({ code: StubShakaError.Code.OPERATION_ABORTED });
    expect(aborts).toEqual([1]);
  });

  it("retryParameters.timeout bounds the whole request, as Shaka's HTTP plugins do", async () => {
    vi.useFakeTimers();
    const { operation, aborts } = load(() => undefined, { ...segmentRequest(), retryParameters: { timeout: 5000, connectionTimeout: 0 } });
    const settled = expect(operation.promise).rejects.toMatchObject({ code: StubShakaError.Code.TIMEOUT });
    await vi.advanceTimersByTimeAsync(5000);
    await settled;
    expect(aborts).toEqual([1]);
  });
});
