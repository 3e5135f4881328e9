import type Hls from 'hls.js';
import type { FragmentLoaderContext, HlsConfig } from 'hls.js';
import { ShoalSession, type LoadRequest } from '@shoal/core';
import { createFragmentLoaderClass } from './fragment-loader.js';
import { fragmentToRequest } from './segment-mapping.js';
import { isSupported, VERSION } from './release.js';
import { foreignLoaderWarning, replacedLoaderWarning } from './guidance.js';

/** hls.js's own default fragLoadPolicy maxTimeToFirstByteMs, for a player config that has none. */
const HLSJS_FIRST_BYTE_TIMEOUT_MS = 10_000;

/**
 * Shoal for hls.js. Create one per player:
 *   const shoal = new Shoal({ trackerUrls: ['wss://tracker.example.com'] });
 *   const hls = new Hls(shoal.hlsConfig());
 *   shoal.attach(hls);
 * Everything but the hls.js wiring (engine, tracker, integrity, stats, join rule) is @shoal/core's ShoalSession.
 */
export class Shoal extends ShoalSession {
  static readonly version = VERSION;
  /** MSE (or ManagedMediaSource) and WebRTC data channels are there; without WebRTC, Shoal plays over HTTP only. */
  static readonly isSupported = isSupported;
  private hls: Hls | undefined;
  /** fLoader classes made by hlsConfig(): attach() checks the player uses one. */
  private readonly loaders = new WeakSet<object>();

  /** hls.js config with Shoal's fragment loader; spread your own settings over or beside it. */
  hlsConfig<T extends Partial<HlsConfig>>(base?: T): T & Pick<HlsConfig, 'fLoader'> {
    const fLoader = createFragmentLoaderClass({
      toRequest: (context) => this.toRequest(context),
      load: (request, callbacks) => this.loadSegment(request, callbacks),
    }) as unknown as HlsConfig['fLoader'];
    this.loaders.add(fLoader as object);
    const replaced = replacedLoaderWarning(base);
    if (replaced) this.warn(replaced);
    return { ...(base ?? ({} as T)), fLoader };
  }

  /** Connects Shoal to a player created with hlsConfig(). Call before loadSource/attachMedia. */
  attach(hls: Hls): void {
    if (this.hls) throw new Error('Shoal is already attached to a player; create one Shoal per player');
    this.hls = hls;
    const foreign = foreignLoaderWarning(hls.config?.fLoader, this.loaders);
    if (foreign) return this.warn(foreign); // Shoal stays out: no segment comes through it
    const { Events } = hls.constructor as typeof Hls;
    hls.on(Events.MANIFEST_LOADING, (_event, data) => this.manifestLoading(data.url));
    hls.on(Events.FRAG_BUFFERED, (_event, data) => {
      if (data.frag.sn !== 'initSegment') this.segmentBuffered();
    });
    hls.on(Events.MEDIA_ATTACHED, (_event, data) => this.mediaAttached(data.media));
    hls.on(Events.MEDIA_DETACHING, () => this.mediaDetached());
    hls.on(Events.ERROR, (_event, data) => {
      if (data.details === 'bufferStalledError') this.bufferStalled();
    });
    hls.on(Events.DESTROYING, () => this.destroy());
    this.sessionStarted();
  }

  override destroy(): void {
    super.destroy();
    this.hls = undefined;
  }

  protected override firstByteTimeoutMs(): number {
    return this.hls?.config.fragLoadPolicy?.default?.maxTimeToFirstByteMs ?? HLSJS_FIRST_BYTE_TIMEOUT_MS;
  }

  private toRequest(context: FragmentLoaderContext): LoadRequest | undefined {
    return fragmentToRequest(context, this.hls);
  }
}
