import type { FragmentLoaderContext, HlsConfig, LoaderCallbacks, LoaderConfiguration, LoaderStats } from 'hls.js';
import { describe, expect, it } from 'vitest';
import { HttpError } from '@shoal/core';
import { createFragmentLoaderClass } from '../src/fragment-loader.js';
import { fragmentToRequest } from '../src/segment-mapping.js';

const loaderConfig = {
  loadPolicy: { maxLoadTimeMs: 60_000, maxTimeToFirstByteMs: 10_000, timeoutRetry: null, errorRetry: null },
  timeout: 60_000,
  maxRetry: 0,
  retryDelay: 0,
  maxRetryDelay: 0,
} as LoaderConfiguration;
const context = {
  url: 'http://origin.test/v0/seg_3.m4s',
  responseType: 'arraybuffer',
  type: 'media-fragment',
  frag: { sn: 3, level: 0, type: 'main', duration: 2, start: 6 },
  part: null,
} as unknown as FragmentLoaderContext;

/** What hls.js is told when the engine fails a load with `error`. */
function outcome(error: Error): Promise<{ kind: 'error'; code: number; text: string } | { kind: 'timeout' }> {
  const Loader = createFragmentLoaderClass({
    toRequest: (ctx) => fragmentToRequest(ctx, undefined),
    load: (_request, callbacks) => {
      queueMicrotask(() => callbacks.onError(error));
      return () => {};
    },
  });
  const loader = new Loader({ loader: class {} } as unknown as HlsConfig);
  return new Promise((resolve) => {
    const callbacks = {
      onSuccess: () => resolve({ kind: 'error', code: -1, text: 'unexpected success' }),
      onError: (e: { code: number; text: string }) => resolve({ kind: 'error', ...e }),
      onTimeout: () => resolve({ kind: 'timeout' }),
    } as unknown as LoaderCallbacks<FragmentLoaderContext>;
    loader.load(context, loaderConfig, callbacks);
  });
}

describe('loader errors as hls.js would see them without Shoal', () => {
  it('HTTP status errors keep their status; network errors are code 0; time limits are timeouts', async () => {
    expect(await outcome(new HttpError('HTTP 404', 404))).toEqual({ kind: 'error', code: 404, text: 'HTTP 404' });
    expect(await outcome(new HttpError('HTTP 500', 500))).toMatchObject({ kind: 'error', code: 500 });
    expect(await outcome(new HttpError('network error', 0))).toMatchObject({ kind: 'error', code: 0 });
    expect(await outcome(new HttpError('no data for 10000 ms', 0, false, true))).toEqual({ kind: 'timeout' });
    expect(await outcome(new Error('engine destroyed'))).toMatchObject({ kind: 'error', code: 0 });
    void ({} as LoaderStats);
  });
});
