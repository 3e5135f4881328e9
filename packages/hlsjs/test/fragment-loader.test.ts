import type { FragmentLoaderContext, HlsConfig, LoaderCallbacks, LoaderConfiguration, LoaderStats } from 'hls.js';
import { describe, expect, it } from 'vitest';
import type { LoadRequest, SegmentResult } from '@shoal/core';
import { createFragmentLoaderClass, type SegmentLoaderHost } from '../src/fragment-loader.js';
import { fragmentToRequest } from '../src/segment-mapping.js';

class DefaultLoaderStub {
  stats = { loaded: 0 } as unknown as LoaderStats;
  loads: FragmentLoaderContext[] = [];
  load(requested: FragmentLoaderContext) {
    this.loads.push(requested);
  }
  abort() {}
  destroy() {}
}

const loaderConfig = {
  loadPolicy: { maxLoadTimeMs: 60_000, maxTimeToFirstByteMs: 10_000, timeoutRetry: null, errorRetry: null },
  timeout: 60_000,
  maxRetry: 0,
  retryDelay: 0,
  maxRetryDelay: 0,
} as LoaderConfiguration;

function context(sn: number | 'initSegment', extra: Partial<FragmentLoaderContext> = {}): FragmentLoaderContext {
  return {
    url: `http://origin.test/v1/seg_${sn}.m4s`,
    responseType: 'arraybuffer',
    type: 'media-fragment',
    frag: { sn, level: 1, type: 'main', duration: 2, start: 10 },
    part: null,
    ...extra,
  } as unknown as FragmentLoaderContext;
}

function setup(result: Partial<SegmentResult>) {
  const requests: LoadRequest[] = [];
  const host: SegmentLoaderHost = {
    toRequest: (ctx) => fragmentToRequest(ctx, undefined),
    load: (request, callbacks) => {
      requests.push(request);
      queueMicrotask(() =>
        callbacks.onSuccess({
          bytes: new Uint8Array([1, 2, 3, 4]),
          source: 'p2p',
          httpBytes: 0,
          p2pBytes: 4,
          requestedAt: 100,
          transferStartedAt: 900,
          firstByteAt: 950,
          endedAt: 1000,
          ...result,
        }),
      );
      return () => {};
    },
  };
  const Loader = createFragmentLoaderClass(host);
  const loader = new Loader({ loader: DefaultLoaderStub } as unknown as HlsConfig);
  return { loader, requests };
}

describe('hls.js fragment loader', () => {
  it('reports the real timing of the bytes, not the time spent waiting for peers', async () => {
    const { loader, requests } = setup({});
    const statsSeenByHls = loader.stats; // hls.js keeps this object as frag.stats before load()
    const done = new Promise<{ stats: LoaderStats; data: ArrayBuffer }>((resolve, reject) => {
      loader.load(context(42), loaderConfig, {
        onSuccess: (response, stats) => resolve({ stats, data: response.data as ArrayBuffer }),
        onError: (e) => reject(new Error(e.text)),
        onTimeout: () => reject(new Error('timeout')),
      });
    });
    const { stats, data } = await done;
    expect(stats).toBe(statsSeenByHls);
    expect(stats.loading).toEqual({ start: 900, first: 950, end: 1000 });
    expect(stats.loaded).toBe(4);
    expect(stats.total).toBe(4);
    expect(new Uint8Array(data)).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(requests[0]).toMatchObject({ id: { track: 1, seq: 42 }, durationS: 2, startS: 10, live: false });
  });

  it('leaves init segments to hls.js own loader', () => {
    const { loader, requests } = setup({});
    loader.load(context('initSegment'), loaderConfig, {} as LoaderCallbacks<FragmentLoaderContext>);
    expect(requests).toHaveLength(0);
  });

  it('maps byte-range fragments to an inclusive byte range', () => {
    const { loader, requests } = setup({});
    loader.load(context(3, { rangeStart: 1000, rangeEnd: 2000 }), loaderConfig, { onSuccess() {}, onError() {}, onTimeout() {} });
    expect(requests[0]!.byteRange).toEqual({ start: 1000, end: 1999 });
  });

  it('hands hls.js a copy, so the bytes kept for other viewers survive hls.js transferring its buffer', async () => {
    const kept = new Uint8Array([9, 9, 9]);
    const { loader } = setup({ bytes: kept });
    const data = await new Promise<ArrayBuffer>((resolve) =>
      loader.load(context(1), loaderConfig, {
        onSuccess: (r: { data?: unknown }) => resolve(r.data as ArrayBuffer),
        onError() {},
        onTimeout() {},
      }),
    );
    expect(data).not.toBe(kept.buffer);
    structuredClone(data, { transfer: [data] });
    expect([...kept]).toEqual([9, 9, 9]);
  });
});
