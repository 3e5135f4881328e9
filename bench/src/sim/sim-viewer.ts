/**
 * One simulated viewer: Shoal's real engine driven by the bench's player model, as a node peer
 * is (node-peer/node-peer.ts), on simulated time. It loads segments as hls.js does with its
 * defaults: one at a time up to the buffer target; for live from 3 segments behind the edge,
 * reloading the playlist every target duration; the player's setup and append costs included.
 */
import { ShoalEngine, type EngineConfig, type HttpClient, type LoadRequest, type SwarmDirectory } from '@shoal/core';
import { APPEND_MS, hlsjsBufferGoalS, LIVE_SYNC_SEGMENTS, PLAYER_SETUP_MS } from '../node-peer/hlsjs-model.js';
import { PlayheadModel } from '../node-peer/playhead-model.js';
import type { SimClock } from './sim-clock.js';
import type { SimOrigin } from './sim-origin.js';
import type { SimStream } from './sim-stream.js';

const TICK_MS = 200;
const MAX_LOAD_MS = 20_000;
const LATENCY_SAMPLE_MS = 1000;

export interface ViewerDeps {
  readonly clock: SimClock;
  readonly stream: SimStream;
  readonly origin: SimOrigin;
  readonly http: HttpClient;
  readonly peerId: string;
  /** Absent: P2P off. */
  readonly directory: SwarmDirectory | undefined;
  readonly swarmId: string;
  readonly config: Partial<EngineConfig>;
}

export interface ViewerResult {
  readonly id: string;
  readonly joinedAt: number;
  readonly leftAt: number | undefined;
  readonly startupMs: number | null;
  readonly stalls: number;
  readonly stallMs: number;
  readonly playingMs: number;
  readonly httpBytes: number;
  readonly p2pBytes: number;
  readonly uploadBytes: number;
  readonly latencyS: readonly number[];
}

export class SimViewer {
  readonly engine: ShoalEngine;
  readonly joinedAt: number;
  private leftAt: number | undefined;
  private playhead: PlayheadModel | undefined;
  private nextSeq = 0;
  private knownLast = 0;
  private inFlight: (() => void) | undefined;
  private nextReloadAt = 0;
  private retryAt = 0;
  private lastLatencySample = 0;
  private stopped = false;
  private readonly latencyS: number[] = [];
  private readonly tick = (): void => {
    if (this.stopped) return;
    this.deps.clock.setTimeout(this.tick, TICK_MS);
    this.step();
  };

  constructor(private readonly deps: ViewerDeps) {
    this.joinedAt = deps.clock.now();
    const playhead = {
      bufferedAheadS: () => this.playhead?.bufferedAheadS() ?? 0,
      positionS: () => this.playhead?.positionS() ?? 0,
      playbackRate: () => 1,
    };
    this.engine = new ShoalEngine(
      { clock: deps.clock, http: deps.http, playhead, peerId: deps.peerId, directory: deps.directory },
      deps.config,
    );
  }

  /** Master and media playlists, the init section, the player's setup; then playback. */
  async start(): Promise<void> {
    const { clock, stream, origin } = this.deps;
    this.engine.start(this.deps.swarmId);
    await origin.roundTrip();
    await origin.roundTrip();
    this.knownLast = stream.window(clock.now()).last;
    await origin.roundTrip();
    const setupLeft = PLAYER_SETUP_MS - (clock.now() - this.joinedAt);
    if (setupLeft > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, setupLeft));
    if (this.stopped) return;
    const { first, last } = stream.window(clock.now());
    this.knownLast = last;
    this.nextSeq = stream.spec.live ? Math.max(first, last - LIVE_SYNC_SEGMENTS + 1) : 0;
    this.nextReloadAt = clock.now() + stream.segmentMs;
    this.playhead = new PlayheadModel(() => clock.now(), { startS: this.startOf(this.nextSeq), startupFrom: this.joinedAt });
    if (!stream.spec.live) this.playhead.setEnd(stream.spec.segments * stream.spec.segmentS);
    this.tick();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.leftAt = this.deps.clock.now();
    this.inFlight?.();
    this.engine.destroy();
  }

  result(): ViewerResult {
    const c = this.playhead?.counters();
    const s = this.engine.stats();
    return {
      id: this.deps.peerId,
      joinedAt: this.joinedAt,
      leftAt: this.leftAt,
      startupMs: c?.startupMs ?? null,
      stalls: c?.stalls ?? 0,
      stallMs: c?.stallMs ?? 0,
      playingMs: c?.playingMs ?? 0,
      httpBytes: s.httpBytes,
      p2pBytes: s.p2pBytes,
      uploadBytes: s.uploadBytes,
      latencyS: this.latencyS,
    };
  }

  /** Stalls so far (for the stalls-over-time plot). */
  stallsNow(): number {
    return this.playhead?.counters().stalls ?? 0;
  }

  private step(): void {
    if (this.stopped || !this.playhead) return;
    const { clock, stream } = this.deps;
    const now = clock.now();
    if (stream.spec.live) this.liveUpkeep(now);
    if (this.inFlight || now < this.retryAt) return;
    const goal = hlsjsBufferGoalS(stream.spec.bitrate);
    if (this.playhead.bufferedAheadS() >= goal) return;
    if (this.nextSeq > this.knownLast || (!stream.spec.live && this.nextSeq >= stream.spec.segments)) return;
    this.load(this.nextSeq);
  }

  /** Playlist reloads (what the viewer knows of the edge), latency samples, falling out of the window. */
  private liveUpkeep(now: number): void {
    const { stream, origin } = this.deps;
    if (now >= this.nextReloadAt) {
      // The reload's answer arrives a round trip later: what it lists is the window of then.
      this.nextReloadAt = Number.POSITIVE_INFINITY;
      void origin.roundTrip().then(() => {
        const last = stream.window(this.deps.clock.now()).last;
        const changed = last !== this.knownLast;
        this.knownLast = last;
        this.nextReloadAt = this.deps.clock.now() + stream.segmentMs * (changed ? 1 : 0.5);
      });
    }
    const playhead = this.playhead!;
    if (now - this.lastLatencySample >= LATENCY_SAMPLE_MS && playhead.counters().startupMs !== null) {
      this.lastLatencySample = now;
      this.latencyS.push(stream.edgeS(now) - playhead.positionS());
    }
    const { first, last } = stream.window(now);
    if (this.nextSeq < first && !this.inFlight) {
      // Fell out of the live window: back to the live sync point, as hls.js does.
      this.nextSeq = Math.max(first, last - LIVE_SYNC_SEGMENTS + 1);
      playhead.seek(this.startOf(this.nextSeq));
    }
  }

  private load(seq: number): void {
    const { clock, stream } = this.deps;
    const startS = this.startOf(seq);
    const request: LoadRequest = {
      id: { track: 0, seq },
      url: stream.urlOf(seq),
      durationS: stream.spec.segmentS,
      startS,
      live: stream.spec.live,
    };
    let settled = false;
    let appendTimer: unknown;
    const release = (): void => {
      settled = true;
      clock.clearTimeout(timeout);
      if (appendTimer !== undefined) clock.clearTimeout(appendTimer as never);
      this.inFlight = undefined;
    };
    const timeout = clock.setTimeout(() => {
      if (settled) return;
      abort();
      release();
      this.retryAt = clock.now() + 1000;
    }, MAX_LOAD_MS);
    const abort = this.engine.load(request, {
      onProgress: () => {},
      onSuccess: () => {
        if (settled || this.stopped) return;
        settled = true;
        clock.clearTimeout(timeout);
        appendTimer = clock.setTimeout(() => {
          release();
          if (this.stopped) return;
          this.playhead!.append(startS, stream.spec.segmentS);
          this.nextSeq = seq + 1;
          this.step();
        }, APPEND_MS);
      },
      onError: () => {
        if (settled || this.stopped) return;
        release();
        this.retryAt = clock.now() + 1000;
      },
    });
    this.inFlight = () => {
      if (!settled) abort();
      release();
    };
  }

  private startOf(seq: number): number {
    return seq * this.deps.stream.spec.segmentS;
  }
}
