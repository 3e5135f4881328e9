import type Hls from 'hls.js';
import type { FragmentLoaderContext, HlsConfig } from 'hls.js';
import {
  defaultStreamLabel,
  Emitter,
  offloadRatio,
  randomPeerId,
  SampleBuffer,
  ShoalEngine,
  StatsReporter,
  TrackerDirectory,
  VERIFIER_OPTIONS,
  type LoadRequest,
  type PeerInfo,
} from '@shoal/core';
import { DeviceSignals } from './device-signals.js';
import { BROWSER_DEPS, every, type ShoalDeps } from './facade-deps.js';
import { createFragmentLoaderClass } from './fragment-loader.js';
import { IntegrityGate } from './integrity-gate.js';
import { IdleJoin } from './join-rule.js';
import { FORWARDED_ENGINE_EVENTS, type ShoalEvents, type ShoalLiveStats } from './live-stats.js';
import { MediaPlayhead, PlaybackMonitor } from './media-playhead.js';
import { resolveOptions, type ResolvedOptions, type ShoalOptions } from './options.js';
import { fragmentToRequest } from './segment-mapping.js';
import { isSupported, supportReport, VERSION } from './release.js';
import {
  foreignLoaderWarning,
  noWebrtcWarning,
  replacedLoaderWarning,
  trackerUnreachableWarning,
  WarningConsole,
  type ShoalWarning,
} from './guidance.js';

const STATS_EVENT_MS = 1000;
/** hls.js's own default fragLoadPolicy maxTimeToFirstByteMs, for a player config that has none. */
const HLSJS_FIRST_BYTE_TIMEOUT_MS = 10_000;

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
  private readonly monitor: PlaybackMonitor;
  private hls: Hls | undefined;
  private swarm: string | undefined;
  private reporter: StatsReporter | undefined;
  /** Timings for the stats reports, kept bounded from the start (startup comes before the join). */
  private readonly samples = new SampleBuffer();
  private stopStats: (() => void) | undefined;
  private attachedAt = 0;
  private bufferStalls = 0;
  private readonly integrity: IntegrityGate;
  private manifestUrl: string | undefined;
  private segmentsCorrupted = 0;
  private readonly banned = new Set<string>();
  private readonly idleJoin: IdleJoin;
  private readonly deviceSignals: DeviceSignals;
  /** Where the facade is in its life: joins at most once, never after destroy(). */
  private phase: 'waiting' | 'joining' | 'joined' | 'destroyed' = 'waiting';
  /** fLoader classes made by hlsConfig(): attach() checks the player uses one. */
  private readonly loaders = new WeakSet<object>();
  private readonly warningConsole = new WarningConsole();
  private readonly directory: TrackerDirectory | undefined;

  /** `deps`: the platform (clock, HTTP); pages leave it out, tests pass fakes. */
  constructor(
    options?: ShoalOptions,
    private readonly deps: ShoalDeps = BROWSER_DEPS,
  ) {
    super();
    this.options = resolveOptions(options);
    const { clock } = deps;
    this.monitor = new PlaybackMonitor(
      () => clock.now(),
      (kind, ms) => this.samples.add(kind, ms),
    );
    this.idleJoin = new IdleJoin(
      () => ({
        firstFrame: this.monitor.firstFrameAt !== undefined,
        paused: this.playhead.media?.paused ?? false,
        bufferedS: this.playhead.bufferedAheadS(),
      }),
      () => void this.joinSwarm(),
      clock,
    );
    const noWebrtc = noWebrtcWarning(supportReport(), this.options.trackerUrls, this.options.p2p);
    // Emitted once the caller has had a chance to listen (right after `new Shoal()` returns).
    if (noWebrtc) queueMicrotask(() => this.warn(noWebrtc));
    const p2p = this.options.p2p && this.options.trackerUrls.length > 0 && !noWebrtc;
    const engineConfig = { ...this.options.engine, uploads: this.options.engine.uploads && this.uploadAllowedOnThisNetwork() };
    this.integrity = new IntegrityGate({
      mode: this.options.integrity,
      manifestUrl: this.options.manifestUrl,
      clock,
      // No byte for as long as the whole manifest fetch may take: the verifier's own timeout decides.
      http: deps.http({ idleTimeoutMs: VERIFIER_OPTIONS.fetchTimeoutMs.default }),
      onWarning: (message) => this.emit('warning', { message }),
      onEvent: (event) => this.emit('integrity', event),
    });
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
    const verifier = this.integrity.verifier;
    this.engine = new ShoalEngine(
      {
        clock,
        // Segment requests answer within hls.js's own first-byte limit, or count as a timeout as they would without Shoal.
        http: deps.http({
          firstByteTimeoutMs: () => this.hls?.config.fragLoadPolicy?.default?.maxTimeToFirstByteMs ?? HLSJS_FIRST_BYTE_TIMEOUT_MS,
        }),
        playhead: this.playhead,
        peerId: this.peerId,
        ...(verifier ? { verifier } : {}),
        ...(this.directory ? { directory: this.directory } : {}),
      },
      engineConfig,
    );
    this.deviceSignals = new DeviceSignals(this.engine);
    for (const event of FORWARDED_ENGINE_EVENTS) {
      this.engine.on(event, (payload) => this.emit(event, payload as never));
    }
    this.engine.on('segment-corrupted', ({ peerIds }) => {
      this.segmentsCorrupted++;
      for (const peerId of peerIds) this.banned.add(peerId);
    });
    // The engine bans peers that break the wire protocol (wrong lengths, malformed frames) too.
    this.engine.on('peer-misbehaved', ({ peerId }) => this.banned.add(peerId));
    // Delivery times for the tracker's histograms: whole segments from one source only.
    this.engine.on('segment-loaded', ({ source, ms }) => {
      if (source === 'http' || source === 'p2p') this.samples.add(source === 'http' ? 'httpMs' : 'p2pMs', ms);
    });
  }

  /** hls.js config with Shoal's fragment loader; spread your own settings over or beside it. */
  hlsConfig<T extends Partial<HlsConfig>>(base?: T): T & Pick<HlsConfig, 'fLoader'> {
    const fLoader = createFragmentLoaderClass({
      toRequest: (context) => this.toRequest(context),
      load: (request, callbacks) => {
        const ended = this.idleJoin.loadStarted();
        const abort = this.engine.load(request, {
          ...callbacks,
          onSuccess: (r) => (ended(), callbacks.onSuccess(r)),
          onError: (e) => (ended(), callbacks.onError(e)),
        });
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
    this.attachedAt = this.deps.clock.now();
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
      if (!this.integrity.required) this.engine.expectSwarm();
      this.engine.watchDevice();
      this.idleJoin.fragmentBuffered();
    });
    hls.on(Events.MEDIA_ATTACHED, (_event, data) => {
      this.playhead.media = data.media;
      data.media.addEventListener(
        'playing',
        () => {
          this.idleJoin.stop();
          void this.joinSwarm();
        },
        { once: true },
      );
      this.monitor.attach(data.media);
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
    this.stopStats = every(this.deps.clock, STATS_EVENT_MS, () => {
      this.deviceSignals.sampleFrames(this.playhead.media);
      this.emit('stats', this.stats());
    });
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
      integrity: this.integrity.state,
      segmentsCorrupted: this.segmentsCorrupted,
      bannedPeers: this.banned.size,
      tracker: this.directory?.state ?? 'off',
    };
  }

  /** Each open peer connection: segment bytes each way, round trip, state (README "Events and stats"). */
  peers(): PeerInfo[] {
    return this.engine.peers();
  }

  /** hls.js BUFFER_STALLED_ERROR count (the player's own view of stalls). */
  get bufferStalledErrors(): number {
    return this.bufferStalls;
  }

  destroy(): void {
    this.phase = 'destroyed';
    this.integrity.close();
    this.idleJoin.stop();
    this.deviceSignals.stop();
    this.stopStats?.();
    this.stopStats = undefined;
    this.reporter?.stop(true);
    this.reporter = undefined;
    this.monitor.detach();
    this.engine.destroy();
    this.hls = undefined;
  }

  private async joinSwarm(): Promise<void> {
    const manifestUrl = this.manifestUrl;
    if (this.phase !== 'waiting' || manifestUrl === undefined) return;
    this.phase = 'joining';
    const key = this.options.swarmId ?? manifestUrl.split(/[?#]/)[0] ?? manifestUrl;
    const swarm = await this.deps.swarmInfoHash(key);
    if (this.phase !== 'joining') return; // destroyed meanwhile
    this.phase = 'joined';
    this.swarm = swarm;
    this.integrity.open(manifestUrl, () => this.engine.start(swarm));
    if (this.options.statsUrl) {
      this.reporter = new StatsReporter({
        url: this.options.statsUrl,
        swarm,
        label: this.options.streamLabel ?? defaultStreamLabel(manifestUrl),
        peerId: this.peerId,
        intervalMs: this.options.statsIntervalMs,
        stats: () => this.engine.stats(),
        playback: () => this.monitor.snapshot(),
        samples: () => this.samples.drain(),
      });
      this.reporter.start();
    }
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
    const connection = (globalThis.navigator as (Navigator & { connection?: { type?: string } }) | undefined)?.connection;
    return this.options.uploadOnCellular || connection?.type !== 'cellular';
  }
}
