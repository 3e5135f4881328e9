import { defaultStreamLabel, StatsReporter } from '../adapters/stats-reporter.js';
import { randomPeerId } from '../adapters/identity.js';
import { SampleBuffer } from '../adapters/report-samples.js';
import { TrackerDirectory } from '../adapters/tracker-directory.js';
import { Emitter } from '../engine/emitter.js';
import { ShoalEngine, type LoadRequest } from '../engine/engine.js';
import type { FetchCallbacks } from '../engine/fetch-contract.js';
import type { PeerInfo } from '../engine/peer-tally.js';
import { offloadRatio } from '../engine/stats.js';
import { VERIFIER_OPTIONS } from '../integrity/verifier.js';
import { BROWSER_DEPS, every, type ShoalDeps } from './deps.js';
import { DeviceSignals } from './device-signals.js';
import { IntegrityGate } from './integrity-gate.js';
import { IdleJoin } from './join-rule.js';
import { FORWARDED_ENGINE_EVENTS, type ShoalEvents, type ShoalLiveStats } from './live-stats.js';
import { MediaPlayhead, PlaybackMonitor } from './media-playhead.js';
import { resolveOptions, type ResolvedOptions, type ShoalOptions } from './options.js';
import { supportReport } from './support.js';
import { noWebrtcWarning, trackerUnreachableWarning, WarningConsole, type ShoalWarning } from './warnings.js';

const STATS_EVENT_MS = 1000;

/**
 * Everything a Shoal facade does that no player decides: the engine, the tracker, integrity,
 * the stats reporter, the join rule, playback and device signals. A player adapter (@shoal/hlsjs,
 * @shoal/shaka) extends it and only translates: its player's segment requests into `loadSegment`,
 * its player's life (manifest, media element, buffered segment, stall) into the calls below.
 */
export class ShoalSession extends Emitter<ShoalEvents> {
  readonly peerId = randomPeerId();
  protected readonly options: ResolvedOptions;
  protected readonly engine: ShoalEngine;
  private readonly playhead = new MediaPlayhead();
  private readonly monitor: PlaybackMonitor;
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
  /** Where the session is in its life: joins at most once, never after destroy(). */
  private phase: 'waiting' | 'joining' | 'joined' | 'destroyed' = 'waiting';
  private readonly warningConsole = new WarningConsole();
  private readonly directory: TrackerDirectory | undefined;

  /** `deps`: the platform (clock, HTTP); pages leave it out, tests pass fakes. */
  constructor(
    options?: ShoalOptions,
    protected readonly deps: ShoalDeps = BROWSER_DEPS,
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
    const engineConfig = { ...this.options.engine, uploads: this.options.engine.uploads && uploadAllowedOnThisNetwork(this.options) };
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
        // Segment requests answer within the player's own first-byte limit, or count as a timeout as they would without Shoal.
        http: deps.http({ firstByteTimeoutMs: () => this.firstByteTimeoutMs() }),
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

  /** The player's own stall reports (hls.js BUFFER_STALLED_ERROR, Shaka's buffering state). */
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
  }

  /** The player's limit for a segment's first byte (ms); the adapter reads it from its player's config. */
  protected firstByteTimeoutMs(): number {
    return 10_000;
  }

  /** The adapter is attached to its player: playback counters and device signals start. */
  protected sessionStarted(): void {
    this.attachedAt = this.deps.clock.now();
    this.deviceSignals.start();
    this.stopStats = every(this.deps.clock, STATS_EVENT_MS, () => {
      this.deviceSignals.sampleFrames(this.playhead.media);
      this.emit('stats', this.stats());
    });
  }

  /** A media segment through the engine (peers, then HTTP); the returned function aborts it. */
  protected loadSegment(request: LoadRequest, callbacks: FetchCallbacks): () => void {
    const ended = this.idleJoin.loadStarted();
    const abort = this.engine.load(request, {
      ...callbacks,
      onSuccess: (r) => (ended(), callbacks.onSuccess(r)),
      onError: (e) => (ended(), callbacks.onError(e)),
    });
    return () => (ended(), abort());
  }

  /** The player asks for its manifest: its URL (without query) is the swarm key unless `swarmId` is set. */
  protected manifestLoading(url: string): void {
    this.manifestUrl = url;
  }

  /**
   * The player plays into `media`. Setting up WebRTC connections costs the page's main thread a
   * few hundred ms on a busy device (first frame 335 -> 610 ms median when joining at the first
   * loaded fragment), so the join waits for the first frame, or for an idle paused player
   * (join-rule.ts). Until then every segment goes straight to HTTP, exactly as without Shoal.
   */
  protected mediaAttached(media: HTMLMediaElement): void {
    this.playhead.media = media;
    media.addEventListener(
      'playing',
      () => {
        this.idleJoin.stop();
        void this.joinSwarm();
      },
      { once: true },
    );
    this.monitor.attach(media);
  }

  protected mediaDetached(): void {
    this.playhead.media = undefined;
    this.monitor.detach();
  }

  /**
   * A media segment reached the player's buffer. The next one is often asked for just before the
   * first frame, and so the join: that one may still wait for the peers the join brings, when the
   * engine finds the device healthy and the buffer deep enough.
   */
  protected segmentBuffered(): void {
    if (!this.integrity.required) this.engine.expectSwarm();
    this.engine.watchDevice();
    this.idleJoin.fragmentBuffered();
  }

  protected bufferStalled(): void {
    this.bufferStalls++;
  }

  /** A setup mistake or missing capability: the 'warning' event, and the console once per kind. */
  protected warn(warning: ShoalWarning): void {
    this.warningConsole.show(warning);
    this.emit('warning', warning);
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
}

function uploadAllowedOnThisNetwork(options: ResolvedOptions): boolean {
  const connection = (globalThis.navigator as (Navigator & { connection?: { type?: string } }) | undefined)?.connection;
  return options.uploadOnCellular || connection?.type !== 'cellular';
}
