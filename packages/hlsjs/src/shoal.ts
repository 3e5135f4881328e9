import type Hls from 'hls.js';
import type { FragmentLoaderContext, HlsConfig } from 'hls.js';
import {
  createFetchHttpClient,
  Emitter,
  MANIFEST_FILE_NAME,
  ManifestVerifier,
  offloadRatio,
  randomPeerId,
  ShoalEngine,
  StatsReporter,
  swarmInfoHash,
  systemClock,
  TrackerDirectory,
  VERIFIER_OPTIONS,
  type EngineEvents,
  type IntegrityEvent,
  type LoadRequest,
  type ShoalStats,
  type TrackerState,
} from '@shoal/core';
import { DeviceSignals } from './device-signals.js';
import { createFragmentLoaderClass } from './fragment-loader.js';
import { IdleJoin } from './join-rule.js';
import { MediaPlayhead, PlaybackMonitor } from './media-playhead.js';
import { resolveOptions, type ResolvedOptions, type ShoalOptions } from './options.js';
import { fragmentToRequest } from './segment-mapping.js';
import { isSupported, supportReport, VERSION } from './release.js';
import { foreignLoaderWarning, noWebrtcWarning, replacedLoaderWarning, trackerUnreachableWarning, WarningConsole, type ShoalWarning } from './guidance.js';

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
  /**
   * 'checking': peer bytes are verified against the hash manifest. 'unchecked': no manifest
   * (integrity 'auto'), peer bytes are trusted. 'http-only': no manifest under integrity
   * 'required', peers are off. 'pending': the manifest is not loaded yet. 'off': integrity 'off'.
   */
  integrity: 'checking' | 'unchecked' | 'http-only' | 'pending' | 'off';
  /** Segments whose peer bytes failed verification (each was refetched over HTTP). */
  segmentsCorrupted: number;
  /** Peers banned for this session: they sent altered bytes or broke the wire protocol. */
  bannedPeers: number;
  /** 'off': no tracker in use (P2P off, no trackerUrls, no WebRTC). 'unreachable': it failed several times in a row (still retrying). */
  tracker: TrackerState | 'off';
}

export type ShoalEvents = EngineEvents & {
  stats: ShoalLiveStats;
  warning: ShoalWarning;
  /** The hash manifest was loaded, is missing, or could not be used. */
  integrity: IntegrityEvent;
};

const STATS_EVENT_MS = 1000;
/** hls.js's own default fragLoadPolicy maxTimeToFirstByteMs, for a player config that has none. */
const HLSJS_FIRST_BYTE_TIMEOUT_MS = 10_000;
/** integrity 'required': how often, and how many times, a manifest that failed to load is tried again before staying HTTP only. */
const REQUIRED_MANIFEST_RETRY_MS = 10_000;
const REQUIRED_MANIFEST_RETRIES = 6;

/**
 * Shoal for hls.js. Create one per player:
 *   const shoal = new Shoal({ trackerUrls: ['wss://tracker.example.com'] });
 *   const hls = new Hls(shoal.hlsConfig());
 *   shoal.attach(hls);
 */
export class Shoal extends Emitter<ShoalEvents> {
  static readonly version = VERSION;
  /** MSE (or ManagedMediaSource) and WebRTC data channels are there; without WebRTC, Shoal plays over HTTP only. */
  static readonly isSupported = isSupported;
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
  private readonly verifier: ManifestVerifier | undefined;
  private integrityState: ShoalLiveStats['integrity'];
  private manifestUrl: string | undefined;
  private joining = false;
  private segmentsCorrupted = 0;
  private readonly banned = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly idleJoin = new IdleJoin(
    () => ({ firstFrame: this.monitor.firstFrameAt !== undefined, paused: this.playhead.media?.paused ?? false, bufferedS: this.playhead.bufferedAheadS() }),
    () => void this.joinSwarm(),
  );
  private readonly deviceSignals: DeviceSignals;
  private destroyed = false;
  /** fLoader classes made by hlsConfig(): attach() checks the player uses one. */
  private readonly loaders = new WeakSet<object>();
  private readonly warningConsole = new WarningConsole();
  private readonly directory: TrackerDirectory | undefined;

  constructor(options?: ShoalOptions) {
    super();
    this.options = resolveOptions(options);
    const noWebrtc = noWebrtcWarning(supportReport(), this.options.trackerUrls, this.options.p2p);
    // Emitted once the caller has had a chance to listen (right after `new Shoal()` returns).
    if (noWebrtc) queueMicrotask(() => this.warn(noWebrtc));
    const p2p = this.options.p2p && this.options.trackerUrls.length > 0 && !noWebrtc;
    const engineConfig = { ...this.options.engine, uploads: this.options.engine.uploads && this.uploadAllowedOnThisNetwork() };
    this.integrityState = this.options.integrity === 'off' ? 'off' : 'pending';
    if (this.options.integrity !== 'off') {
      this.verifier = new ManifestVerifier({
        // No byte for as long as the whole manifest fetch may take: the verifier's own timeout decides.
        http: createFetchHttpClient({ idleTimeoutMs: VERIFIER_OPTIONS.fetchTimeoutMs.default }),
        clock: systemClock,
        mode: this.options.integrity,
        ...(this.options.manifestUrl ? { manifestUrl: this.options.manifestUrl } : {}),
        onEvent: (event) => this.onIntegrityEvent(event),
      });
    }
    this.directory = p2p
      ? new TrackerDirectory({
          trackerUrls: this.options.trackerUrls,
          peerId: this.peerId,
          rtcConfig: this.options.rtcConfig,
          maxPeers: engineConfig.maxPeers,
          onWarning: (message) => this.emit('warning', { message }),
          onStateChange: (state, lastError) => {
            if (state === 'unreachable') this.warn(trackerUnreachableWarning(this.options.trackerUrls, lastError));
          },
        })
      : undefined;
    this.engine = new ShoalEngine(
      {
        clock: systemClock,
        // Segment requests answer within hls.js's own first-byte limit, or count as a timeout as they would without Shoal.
        http: createFetchHttpClient({ firstByteTimeoutMs: () => this.hls?.config.fragLoadPolicy?.default?.maxTimeToFirstByteMs ?? HLSJS_FIRST_BYTE_TIMEOUT_MS }),
        playhead: this.playhead,
        peerId: this.peerId,
        ...(this.verifier ? { verifier: this.verifier } : {}),
        ...(this.directory ? { directory: this.directory } : {}),
      },
      engineConfig,
    );
    this.deviceSignals = new DeviceSignals(this.engine);
    for (const event of ['segment-loaded', 'segment-error', 'peer-connected', 'peer-disconnected', 'peer-misbehaved', 'segment-corrupted', 'peer-bytes-dropped', 'health-changed'] as const) {
      this.engine.on(event, (payload) => this.emit(event, payload as never));
    }
    this.engine.on('segment-corrupted', ({ peerIds }) => {
      this.segmentsCorrupted++;
      for (const peerId of peerIds) this.banned.add(peerId);
    });
    // The engine bans peers that break the wire protocol (wrong lengths, malformed frames) too.
    this.engine.on('peer-misbehaved', ({ peerId }) => this.banned.add(peerId));
  }

  /** hls.js config with Shoal's fragment loader; spread your own settings over or beside it. */
  hlsConfig<T extends Partial<HlsConfig>>(base?: T): T & Pick<HlsConfig, 'fLoader'> {
    const fLoader = createFragmentLoaderClass({
      toRequest: (context) => this.toRequest(context),
      load: (request, callbacks) => {
        const ended = this.idleJoin.loadStarted();
        const abort = this.engine.load(request, { ...callbacks, onSuccess: (r) => (ended(), callbacks.onSuccess(r)), onError: (e) => (ended(), callbacks.onError(e)) });
        return () => (ended(), abort());
      },
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
    this.attachedAt = performance.now();
    const foreign = foreignLoaderWarning(hls.config?.fLoader, this.loaders);
    if (foreign) return this.warn(foreign);
    const { Events } = hls.constructor as typeof Hls;
    // Setting up WebRTC connections costs the page's main thread a few hundred ms on a busy
    // device (measured: first frame 335 -> 610 ms median when joining at the first loaded
    // fragment), so the join waits for the first frame, or for an idle paused player (see
    // join-rule.ts). Until then every segment goes straight to HTTP: the first frame may need
    // more than one (autoplay waits for enough data), and no peer can answer before the join anyway.
    hls.on(Events.MANIFEST_LOADING, (_event, data) => {
      this.manifestUrl = data.url;
    });

    // The next fragment is often asked for just before the first frame, and so the join: that
    // one may still wait for the peers the join brings (it is needed ~1 fragment later), when
    // the engine finds the device healthy and the buffer deep enough.
    hls.on(Events.FRAG_BUFFERED, (_event, data) => {
      if (data.frag.sn === 'initSegment') return;
      if (this.verifier?.mode !== 'required') this.engine.expectSwarm();
      this.idleJoin.fragmentBuffered();
    });
    hls.on(Events.MEDIA_ATTACHED, (_event, data) => {
      this.playhead.media = data.media as HTMLMediaElement;
      data.media.addEventListener('playing', () => {
        this.idleJoin.stop();
        void this.joinSwarm();
      }, { once: true });
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
    this.deviceSignals.start();
    this.statsTimer = setInterval(() => {
      this.deviceSignals.sampleFrames(this.playhead.media);
      this.emit('stats', this.stats());
    }, STATS_EVENT_MS);
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
      integrity: this.integrityState,
      segmentsCorrupted: this.segmentsCorrupted,
      bannedPeers: this.banned.size,
      tracker: this.directory?.state ?? 'off',
    };
  }

  /** hls.js BUFFER_STALLED_ERROR count (the player's own view of stalls). */
  get bufferStalledErrors(): number {
    return this.bufferStalls;
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    this.idleJoin.stop();
    this.deviceSignals.stop();
    if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    this.reporter?.stop(true);
    this.reporter = undefined;
    this.monitor.detach();
    this.engine.destroy();
    this.hls = undefined;
  }

  private async joinSwarm(): Promise<void> {
    const manifestUrl = this.manifestUrl;
    if (this.swarm || this.joining || manifestUrl === undefined || this.destroyed) return;
    this.joining = true;
    const key = this.options.swarmId ?? manifestUrl.split(/[?#]/)[0] ?? manifestUrl;
    const conventional = conventionalManifestUrl(manifestUrl);
    if (this.verifier && !this.options.manifestUrl && conventional) this.verifier.setManifestUrl(conventional);
    this.swarm = await swarmInfoHash(key);
    if (this.verifier?.mode === 'required') {
      void this.joinWhenVerifiable(this.swarm, REQUIRED_MANIFEST_RETRIES);
    } else {
      void this.verifier?.load(); // ready before the first segment arrives from a peer
      this.engine.start(this.swarm);
    }
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

  /** integrity 'required': peers only once the manifest is there; until then (or for good) HTTP only. */
  private async joinWhenVerifiable(swarm: string, retries: number): Promise<void> {
    const verifier = this.verifier!;
    if (await verifier.load()) {
      if (!this.destroyed) this.engine.start(swarm);
      return;
    }
    if (this.destroyed) return;
    this.integrityState = 'http-only';
    this.emit('warning', { message: `integrity is "required" and no usable hash manifest is at ${verifier.manifestUrl}: peers are off, every segment comes over HTTP` });
    if (retries > 0) this.retryTimer = setTimeout(() => void this.joinWhenVerifiable(swarm, retries - 1), REQUIRED_MANIFEST_RETRY_MS);
  }

  private onIntegrityEvent(event: IntegrityEvent): void {
    if (event.type === 'manifest-loaded') this.integrityState = 'checking';
    else if (!this.verifier?.hasManifest) this.integrityState = this.verifier?.mode === 'required' ? 'http-only' : event.type === 'manifest-missing' ? 'unchecked' : 'pending';
    if (event.type === 'manifest-missing' && this.verifier?.mode === 'auto') {
      this.emit('warning', { message: `no hash manifest at ${event.url} (HTTP ${event.status}): bytes from peers are not verified` });
    } else if (event.type === 'manifest-error') {
      this.emit('warning', { message: `hash manifest at ${event.url} unusable: ${event.message}; segments it cannot vouch for come over HTTP` });
    }
    this.emit('integrity', event);
  }

  /** A setup mistake or missing capability: the 'warning' event, and the console once per kind. */
  private warn(warning: ShoalWarning): void {
    this.warningConsole.show(warning);
    this.emit('warning', warning);
  }

  private toRequest(context: FragmentLoaderContext): LoadRequest | undefined {
    return fragmentToRequest(context, this.hls);
  }

  private uploadAllowedOnThisNetwork(): boolean {
    const connection = (globalThis.navigator as Navigator & { connection?: { type?: string } } | undefined)?.connection;
    return this.options.uploadOnCellular || connection?.type !== 'cellular';
  }
}

/** Where the hash manifest is by convention: shoal-manifest.json next to the master playlist (its query kept, for signed URLs). */
export function conventionalManifestUrl(masterUrl: string): string | undefined {
  try {
    const master = new URL(masterUrl, globalThis.location?.href);
    const url = new URL(MANIFEST_FILE_NAME, master);
    url.search = master.search;
    return url.href;
  } catch {
    return undefined;
  }
}
