import type {
  FragmentLoaderContext,
  HlsConfig,
  Loader,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderStats,
} from 'hls.js';
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
      onError(error: Error & { status?: number }): void;
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

/**
 * Builds the hls.js fragment loader class (config.fLoader). Media segments go through Shoal's
 * engine; anything else (init segments) goes to hls.js's own loader untouched. Stats carry the
 * real timing of the bytes, so hls.js's bandwidth estimate and ABR see what actually happened.
 */
export function createFragmentLoaderClass(host: SegmentLoaderHost): LoaderClass {
  return class ShoalFragmentLoader implements Loader<FragmentLoaderContext> {
    context: FragmentLoaderContext | null = null;
    stats: LoaderStats = emptyStats();
    private readonly fallback: Loader<FragmentLoaderContext>;
    private delegated = false;
    private cancel: (() => void) | undefined;
    private timeout: ReturnType<typeof setTimeout> | undefined;
    private callbacks: LoaderCallbacks<FragmentLoaderContext> | null = null;

    constructor(private readonly hlsConfig: HlsConfig) {
      const DefaultLoader = hlsConfig.loader as unknown as LoaderClass;
      this.fallback = new DefaultLoader(hlsConfig);
    }

    load(context: FragmentLoaderContext, config: LoaderConfiguration, callbacks: LoaderCallbacks<FragmentLoaderContext>): void {
      this.context = context;
      const request = host.toRequest(context);
      if (!request) {
        this.delegated = true;
        this.stats = this.fallback.stats;
        this.fallback.load(context, config, callbacks);
        return;
      }
      this.callbacks = callbacks;
      const stats = (this.stats = emptyStats());
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
          const body = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.slice().buffer;
          const cb = this.callbacks;
          this.callbacks = null;
          cb.onSuccess({ url: context.url, data: body as ArrayBuffer }, stats, context, null);
        },
        onError: (error) => {
          if (!this.callbacks) return;
          this.finishTimers();
          const cb = this.callbacks;
          this.callbacks = null;
          cb.onError({ code: error.status ?? 0, text: error.message }, context, null, stats);
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
