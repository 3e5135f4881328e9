import type { FragmentLoaderContext, HlsConfig, Loader, LoaderCallbacks, LoaderConfiguration } from 'hls.js';
import type { IntegrityEvidence } from '../page-contract.js';

type FragmentLoader = NonNullable<HlsConfig['fLoader']>;

/**
 * Wraps a fragment loader to record the SHA-256 of every media fragment exactly as the loader
 * hands it to hls.js (which then detaches the buffer), for a test to check against the files.
 */
export function hashingLoader(Base: FragmentLoader | HlsConfig['loader'], into: IntegrityEvidence['fragHashes']): FragmentLoader {
  return class extends (Base as unknown as new (config: HlsConfig) => Loader<FragmentLoaderContext>) {
    override load(context: FragmentLoaderContext, config: LoaderConfiguration, callbacks: LoaderCallbacks<FragmentLoaderContext>): void {
      super.load(context, config, {
        ...callbacks,
        onSuccess: (response, stats, ctx, details) => {
          const frag = ctx.frag;
          if (frag.sn !== 'initSegment' && response.data instanceof ArrayBuffer) {
            const copy = response.data.slice(0);
            const range = frag.byteRange.length ? frag.byteRange : undefined;
            void crypto.subtle.digest('SHA-256', copy).then((digest) => {
              const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
              into.push({
                url: ctx.url,
                ...(range ? { range } : {}),
                level: frag.level,
                sn: frag.sn as number,
                size: copy.byteLength,
                sha256,
              });
            });
          }
          callbacks.onSuccess(response, stats, ctx, details);
        },
      });
    }
  };
}
