import type { FragmentLoaderContext, HlsConfig, Loader, LoaderCallbacks, LoaderConfiguration, LoaderStats } from 'hls.js';
import type { LoadRequest, SegmentResult } from '@shoal/core';

/** What the loader needs from Shoal: a way to load a segment through the engine. */
export interface SegmentLoaderHost {
  /** Undefined when the fragment must go to hls.js's own loader (init segments, P2P off). */
  toRequest(context: FragmentLoaderContext): LoadRequest | undefined;
  load(
    request: LoadRequest,
    callbacks: {
      onProgress(loaded: number, total: number | undefined): void;
      onSuccess(result: SegmentResult): void;
      onError(error: Error & { status?: number; timedOut?: boolean }): void;
    },
  ): () => void;
}

type LoaderClass = new (config: HlsConfig) => Loader<FragmentLoaderContext>;

function emptyStats(): LoaderStats {
  return {
    aborted: false,
    loaded: 0,
    retry: 0,
    total: 0,
    chunkCount: 0,
    bwEstimate: 0,
    loading: { start: 0, first: 0, end: 0 },
    parsing: { start: 0, end: 0 },
    buffering: { start: 0, first: 0, end: 0 },
  };
}

/** Forwards hls.js's own loader's callbacks, copying its stats into the object hls.js watches. */
function mirrorStats(callbacks: LoaderCallbacks<FragmentLoaderContext>, target: LoaderStats): LoaderCallbacks<FragmentLoaderContext> {
  const copy = (from: LoaderStats) => {
    if (from !== target)
      Object.assign(target, { ...from, loading: { ...from.loading }, parsing: { ...from.parsing }, buffering: { ...from.buffering } });
    return target;
  };
  const { onAbort, onProgress } = callbacks;
  return {
    onSuccess: (response, stats, context, details) => callbacks.onSuccess(response, copy(stats), context, details),
    onError: (error, context, details, stats) => callbacks.onError(error, context, details, copy(stats)),
    onTimeout: (stats, context, details) => callbacks.onTimeout(copy(stats), context, details),
    onAbort: onAbort && ((stats, context, details) => onAbort(copy(stats), context, details)),
    onProgress: onProgress && ((stats, context, data, details) => onProgress(copy(stats), context, data, details)),
  };
}

/**
 * Builds the hls.js fragment loader class (config.fLoader). Media segments go through Shoal's
 * engine; anything else (init segments) goes to hls.js's own loader untouched. Stats carry the
 * real timing of the bytes, so hls.js's bandwidth estimate and ABR see what actually happened.
 */
export function createFragmentLoaderClass(host: SegmentLoaderHost): LoaderClass {
  return class ShoalFragmentLoader implements Loader<FragmentLoaderContext> {
    context: FragmentLoaderContext | null = null;
    readonly stats: LoaderStats = emptyStats();
    private readonly fallback: Loader<FragmentLoaderContext>;
    private delegated = false;
    private cancel: (() => void) | undefined;
    private timeout: ReturnType<typeof setTimeout> | undefined;
    private callbacks: LoaderCallbacks<FragmentLoaderContext> | null = null;

    constructor(hlsConfig: HlsConfig) {
      const DefaultLoader = hlsConfig.loader as unknown as LoaderClass;
      this.fallback = new DefaultLoader(hlsConfig);
    }

    load(context: FragmentLoaderContext, config: LoaderConfiguration, callbacks: LoaderCallbacks<FragmentLoaderContext>): void {
      this.context = context;
      const request = host.toRequest(context);
      const stats = this.stats; // hls.js holds this very object as frag.stats: fill it, never replace it
      if (!request) {
        this.delegated = true;
        this.fallback.load(context, config, mirrorStats(callbacks, stats));
        return;
      }
      this.callbacks = callbacks;
      stats.loading.start = performance.now();
      const maxLoadMs = config.loadPolicy?.maxLoadTimeMs ?? config.timeout;
      if (maxLoadMs > 0 && Number.isFinite(maxLoadMs)) {
        this.timeout = setTimeout(() => {
          this.stop();
          this.callbacks = null;
          callbacks.onTimeout(stats, context, null);
        }, maxLoadMs);
      }
      this.cancel = host.load(request, {
        onProgress: (loaded, total) => {
          if (stats.loading.first === 0 && loaded > 0) stats.loading.first = performance.now();
          stats.loaded = loaded;
          stats.total = total ?? 0;
        },
        onSuccess: (result) => {
          if (!this.callbacks) return;
          this.finishTimers();
          const data = result.bytes;
          stats.loaded = stats.total = data.length;
          stats.chunkCount = 1;
          // Time spent waiting for peers to announce the segment is not transfer time.
          stats.loading.start = result.transferStartedAt;
          stats.loading.first = Math.max(result.firstByteAt, stats.loading.start);
          stats.loading.end = Math.max(result.endedAt, stats.loading.first);
          // A copy: hls.js transfers the buffer to its worker (detaching it), and the engine
          // keeps the original in its store to upload to other viewers.
          const body = data.slice().buffer;
          const cb = this.callbacks;
          this.callbacks = null;
          cb.onSuccess({ url: context.url, data: body }, stats, context, null);
        },
        onError: (error) => {
          if (!this.callbacks) return;
          this.finishTimers();
          const cb = this.callbacks;
          this.callbacks = null;
          // As hls.js's own loaders report them: a time limit hit is a timeout (retried per
          // the policy's timeoutRetry), anything else an error with the HTTP status (0: network).
          if (error.timedOut) cb.onTimeout(stats, context, null);
          else cb.onError({ code: error.status ?? 0, text: error.message }, context, null, stats);
        },
      });
    }

    abort(): void {
      if (this.delegated) return this.fallback.abort();
      if (!this.callbacks) return;
      this.stop();
      this.stats.aborted = true;
      const cb = this.callbacks;
      this.callbacks = null;
      if (this.context) cb.onAbort?.(this.stats, this.context, null);
    }

    destroy(): void {
      this.stop();
      this.callbacks = null;
      this.fallback.destroy();
      this.context = null;
    }

    private stop(): void {
      this.finishTimers();
      this.cancel?.();
      this.cancel = undefined;
    }

    private finishTimers(): void {
      clearTimeout(this.timeout);
      this.timeout = undefined;
    }
  };
}
