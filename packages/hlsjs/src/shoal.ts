import type Hls from 'hls.js';
import type { FragmentLoaderContext, HlsConfig } from 'hls.js';
import {
  createFetchHttpClient,
  Emitter,
  offloadRatio,
  randomPeerId,
  ShoalEngine,
  StatsReporter,
  swarmInfoHash,
  systemClock,
  TrackerDirectory,
  type EngineEvents,
  type LoadRequest,
  type ShoalStats,
} from '@shoal/core';
import { createFragmentLoaderClass } from './fragment-loader.js';
import { MediaPlayhead, PlaybackMonitor } from './media-playhead.js';
import { resolveOptions, type ResolvedOptions, type ShoalOptions } from './options.js';
import { fragmentToRequest } from './segment-mapping.js';

/** Live numbers for a page: bytes by source, peers, offload and playback health. */
export interface ShoalLiveStats extends ShoalStats {
  /** p2pBytes / (p2pBytes + httpBytes), 0..1. */
  offload: number;
  stalls: number;
  stallMs: number;
  playingMs: number;
  /** ms from attach to first frame, once playing. */
  startupMs: number | undefined;
  peerId: string;
  swarm: string | undefined;
}

export type ShoalEvents = EngineEvents & {
  stats: ShoalLiveStats;
  warning: { message: string };
};

const STATS_EVENT_MS = 1000;

/**
 * Shoal for hls.js. Create one per player:
 *   const shoal = new Shoal({ trackerUrls: ['wss://tracker.example.com'] });
 *   const hls = new Hls(shoal.hlsConfig());
 *   shoal.attach(hls);
 */
export class Shoal extends Emitter<ShoalEvents> {
  readonly peerId = randomPeerId();
  private readonly options: ResolvedOptions;
  private readonly engine: ShoalEngine;
  private readonly playhead = new MediaPlayhead();
  private readonly monitor = new PlaybackMonitor();
  private hls: Hls | undefined;
  private swarm: string | undefined;
  private reporter: StatsReporter | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private attachedAt = 0;
  private bufferStalls = 0;

  constructor(options?: ShoalOptions) {
    super();
    this.options = resolveOptions(options);
    const p2p = this.options.p2p && this.options.trackerUrls.length > 0;
    const engineConfig = { ...this.options.engine, uploads: this.options.engine.uploads && this.uploadAllowedOnThisNetwork() };
    this.engine = new ShoalEngine(
      {
        clock: systemClock,
        http: createFetchHttpClient(),
        playhead: this.playhead,
        peerId: this.peerId,
        ...(p2p
          ? {
              directory: new TrackerDirectory({
                trackerUrls: this.options.trackerUrls,
                peerId: this.peerId,
                rtcConfig: this.options.rtcConfig,
                onWarning: (message) => this.emit('warning', { message }),
              }),
            }
          : {}),
      },
      engineConfig,
    );
    for (const event of ['segment-loaded', 'segment-error', 'peer-connected', 'peer-disconnected', 'peer-misbehaved'] as const) {
      this.engine.on(event, (payload) => this.emit(event, payload as never));
    }
  }

  /** hls.js config with Shoal's fragment loader; spread your own settings over or beside it. */
  hlsConfig<T extends Partial<HlsConfig>>(base?: T): T & Pick<HlsConfig, 'fLoader'> {
    const fLoader = createFragmentLoaderClass({
      toRequest: (context) => this.toRequest(context),
      load: (request, callbacks) => this.engine.load(request, callbacks),
    }) as unknown as HlsConfig['fLoader'];
    return { ...(base ?? ({} as T)), fLoader };
  }

  /** Connects Shoal to a player created with hlsConfig(). Call before loadSource/attachMedia. */
  attach(hls: Hls): void {
    if (this.hls) throw new Error('Shoal is already attached to a player; create one Shoal per player');
    this.hls = hls;
    this.attachedAt = performance.now();
    const { Events } = hls.constructor as typeof Hls;
    hls.on(Events.MANIFEST_LOADING, (_event, data) => void this.joinSwarm(data.url));
    hls.on(Events.MEDIA_ATTACHED, (_event, data) => {
      this.playhead.media = data.media as HTMLMediaElement;
      this.monitor.attach(data.media as HTMLMediaElement);
    });
    hls.on(Events.MEDIA_DETACHING, () => {
      this.playhead.media = undefined;
      this.monitor.detach();
    });
    hls.on(Events.ERROR, (_event, data) => {
      if (data.details === 'bufferStalledError') this.bufferStalls++;
    });
    hls.on(Events.DESTROYING, () => this.destroy());
    this.statsTimer = setInterval(() => this.emit('stats', this.stats()), STATS_EVENT_MS);
  }

  stats(): ShoalLiveStats {
    const engine = this.engine.stats();
    const playback = this.monitor.snapshot();
    return {
      ...engine,
      offload: offloadRatio(engine),
      ...playback,
      startupMs: this.monitor.firstFrameAt === undefined ? undefined : this.monitor.firstFrameAt - this.attachedAt,
      peerId: this.peerId,
      swarm: this.swarm,
    };
  }

  /** hls.js BUFFER_STALLED_ERROR count (the player's own view of stalls). */
  get bufferStalledErrors(): number {
    return this.bufferStalls;
  }

  destroy(): void {
    if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    this.reporter?.stop(true);
    this.reporter = undefined;
    this.monitor.detach();
    this.engine.destroy();
    this.hls = undefined;
  }

  private async joinSwarm(manifestUrl: string): Promise<void> {
    if (this.swarm) return;
    const key = this.options.swarmId ?? manifestUrl.split(/[?#]/)[0] ?? manifestUrl;
    this.swarm = await swarmInfoHash(key);
    this.engine.start(this.swarm);
    if (this.options.statsUrl) {
      this.reporter = new StatsReporter({
        url: this.options.statsUrl,
        swarm: this.swarm,
        peerId: this.peerId,
        intervalMs: this.options.statsIntervalMs,
        stats: () => this.engine.stats(),
        playback: () => this.monitor.snapshot(),
      });
      this.reporter.start();
    }
  }

  private toRequest(context: FragmentLoaderContext): LoadRequest | undefined {
    return fragmentToRequest(context, this.hls);
  }

  private uploadAllowedOnThisNetwork(): boolean {
    const connection = (globalThis.navigator as Navigator & { connection?: { type?: string } } | undefined)?.connection;
    return this.options.uploadOnCellular || connection?.type !== 'cellular';
  }
}
