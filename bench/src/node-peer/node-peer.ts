/**
 * A headless viewer: Shoal's real engine (WebRTC through @roamhq/wrtc, the real tracker client)
 * driven by a playhead model instead of hls.js and a <video> element. It loads segments the way
 * hls.js does with default settings (see hlsjs-model.ts): one at a time, up to hls.js's buffer
 * target; for live, from 3 segments behind the edge, reloading the playlist every target
 * duration. Its snapshot has the same shape as a page's window.__metrics.
 */
import {
  createFetchHttpClient,
  randomPeerId,
  ShoalEngine,
  swarmInfoHash,
  systemClock,
  TrackerDirectory,
  type LoadRequest,
} from '@shoal/core';
import type { PageMetrics } from '../run/page-metrics.js';
import { APPEND_MS, hlsjsBufferGoalS, LIVE_SYNC_SEGMENTS, ownSocketUrl, PLAYER_SETUP_MS } from './hlsjs-model.js';
import { PlayheadModel } from './playhead-model.js';
import { fetchText, LiveTimeline, pickVariant, readMedia, type MediaInfo, type Segment, type Variant } from './playlist.js';

export interface NodePeerOptions {
  readonly streamUrl: string;
  /** ws:// tracker; undefined = P2P off (HTTP only, still counted by the engine). */
  readonly trackerUrl: string | undefined;
  /** Variant to play: 'top' (highest bandwidth) or an hls.js level index. */
  readonly level: 'top' | number;
  /** Same options object the pages get (engine fields at the top level, optional swarmId). */
  readonly shoalConfig?: Record<string, unknown>;
  /** Seconds to buffer ahead; default as hls.js computes it from the variant's bitrate. */
  readonly bufferGoalS?: number;
  /** hls.js liveSyncDurationCount. */
  readonly liveSyncSegments?: number;
  log?(message: string): void;
}

const TICK_MS = 200;
const MAX_LOAD_MS = 20_000;
const LATENCY_SAMPLE_MS = 1000;
const MAX_SAMPLES = 3600;
const MAX_ERRORS = 50;

export class NodePeer {
  private readonly startedAt = performance.now();
  /** The engine, for its events (the worker logs them with SHOAL_NODE_PEER_LOG). */
  readonly engine: ShoalEngine;
  private playhead: PlayheadModel | undefined;
  private variant: Variant | undefined;
  private media: MediaInfo | undefined;
  private readonly timeline = new LiveTimeline();
  private nextSeq: number | undefined;
  private inFlight: (() => void) | undefined;
  private readonly initsLoaded = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private nextReloadAt = 0;
  private reloading = false;
  private retryAt = 0;
  private playlistLoadedAt = 0;
  private lastLatencySample = 0;
  private stopped = false;
  private readonly metrics = {
    fatalErrors: [] as string[],
    errors: [] as string[],
    fragBytes: 0,
    fragCount: 0,
    levels: [] as number[],
    latencyS: [] as number[],
  };

  constructor(private readonly options: NodePeerOptions) {
    const peerId = randomPeerId();
    const directory = options.trackerUrl
      ? new TrackerDirectory({
          trackerUrls: [ownSocketUrl(options.trackerUrl, peerId)],
          peerId,
          rtcConfig: { iceServers: [] },
          onWarning: (message) => options.log?.(message),
        })
      : undefined;
    const playhead = {
      bufferedAheadS: () => this.playhead?.bufferedAheadS() ?? 0,
      positionS: () => this.playhead?.positionS() ?? 0,
      playbackRate: () => 1,
    };
    this.engine = new ShoalEngine({ clock: systemClock, http: createFetchHttpClient(), playhead, peerId, directory }, options.shoalConfig);
  }

  /** Loads the playlists and the init section, joins the swarm and starts playing. */
  async start(): Promise<void> {
    try {
      // Shoal joins the swarm when hls.js starts loading the manifest (MANIFEST_LOADING).
      const config = this.options.shoalConfig;
      const swarmKey = typeof config?.swarmId === 'string' ? config.swarmId : this.options.streamUrl.split(/[?#]/)[0]!;
      this.engine.start(await swarmInfoHash(swarmKey));
      this.variant = await pickVariant(this.options.streamUrl, this.options.level);
      await this.reload();
      const media = this.media!;
      const first = media.live ? Math.max(0, media.segments.length - (this.options.liveSyncSegments ?? LIVE_SYNC_SEGMENTS)) : 0;
      const start = media.segments[first];
      if (!start) throw new Error('media playlist has no segments');
      await this.loadInit(start);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, PLAYER_SETUP_MS - (performance.now() - this.startedAt))));
      if (this.stopped) return;
      this.nextSeq = start.seq;
      this.playhead = new PlayheadModel(() => performance.now(), { startS: this.startOf(start), startupFrom: this.startedAt });
      const last = media.segments.at(-1)!;
      if (!media.live) this.playhead.setEnd(last.offsetS + last.durationS);
      this.timer = setInterval(() => this.step(), TICK_MS);
      this.step();
    } catch (error) {
      this.fatal(`start: ${(error as Error).message}`);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.inFlight?.();
    this.inFlight = undefined;
    this.engine.destroy();
  }

  snapshot(): PageMetrics {
    const counters = this.playhead?.counters();
    const engine = this.engine.stats();
    return {
      firstFrameMs: counters?.startupMs ?? null,
      waiting: counters?.stalls ?? 0,
      bufferStalledErrors: 0,
      fatalErrors: [...this.metrics.fatalErrors],
      errors: [...this.metrics.errors],
      fragBytes: this.metrics.fragBytes,
      fragCount: this.metrics.fragCount,
      levels: [...this.metrics.levels],
      levelSwitches: [],
      latencyS: [...this.metrics.latencyS],
      shoal: {
        httpBytes: engine.httpBytes,
        p2pBytes: engine.p2pBytes,
        uploadBytes: engine.uploadBytes,
        rejectedBytes: engine.rejectedBytes,
        peers: engine.peers,
        segmentsFromHttp: engine.segmentsFromHttp,
        segmentsFromPeers: engine.segmentsFromPeers,
        stalls: counters?.stalls ?? 0,
        stallMs: counters?.stallMs ?? 0,
        playingMs: counters?.playingMs ?? 0,
      },
    };
  }

  /** One scheduling pass: reload a live playlist when due, sample latency, load the next segment. */
  private step(): void {
    if (this.stopped || !this.playhead || !this.media) return;
    const now = performance.now();
    if (this.media.live && now >= this.nextReloadAt && !this.reloading) void this.reloadSafely();
    if (this.media.live && now - this.lastLatencySample >= LATENCY_SAMPLE_MS && this.playhead.counters().startupMs !== null) {
      this.lastLatencySample = now;
      const last = this.media.segments[this.media.segments.length - 1];
      if (last && this.metrics.latencyS.length < MAX_SAMPLES) {
        const edge = this.startOf(last) + last.durationS + (now - this.playlistLoadedAt) / 1000;
        this.metrics.latencyS.push(edge - this.playhead.positionS());
      }
    }
    if (this.inFlight || now < this.retryAt) return;
    const goal = this.options.bufferGoalS ?? hlsjsBufferGoalS(this.variant!.bandwidth);
    if (this.playhead.bufferedAheadS() >= goal) return;
    const segment = this.nextSegment();
    if (segment) this.load(segment);
  }

  private nextSegment(): Segment | undefined {
    const media = this.media!;
    const first = media.segments[0];
    if (!first || this.nextSeq === undefined) return undefined;
    if (media.live && this.nextSeq < first.seq) {
      // Fell out of the live window: jump back to the live sync point, as hls.js does.
      const target = media.segments[Math.max(0, media.segments.length - (this.options.liveSyncSegments ?? LIVE_SYNC_SEGMENTS))]!;
      this.error(`fell behind the live window at ${this.nextSeq}; jumping to ${target.seq}`);
      this.nextSeq = target.seq;
      this.playhead!.seek(this.startOf(target));
    }
    return media.segments.find((s) => s.seq === this.nextSeq);
  }

  private load(segment: Segment): void {
    const startS = this.startOf(segment);
    const request: LoadRequest = {
      id: { track: this.variant!.level, seq: segment.seq },
      url: segment.url,
      byteRange: segment.byteRange,
      durationS: segment.durationS,
      startS,
      live: this.media!.live,
    };
    // settled: the engine answered (or we gave up); the slot frees once the segment is appended.
    let settled = false;
    let appendTimer: ReturnType<typeof setTimeout> | undefined;
    const release = (): void => {
      settled = true;
      clearTimeout(timeout);
      clearTimeout(appendTimer);
      this.inFlight = undefined;
    };
    const timeout = setTimeout(() => {
      if (settled) return;
      abort();
      release();
      this.error(`segment ${segment.seq} took over ${MAX_LOAD_MS} ms; retrying`);
      this.retryAt = performance.now() + 1000;
    }, MAX_LOAD_MS);
    const abort = this.engine.load(request, {
      onProgress: () => {},
      onSuccess: (result) => {
        if (settled || this.stopped) return;
        settled = true;
        clearTimeout(timeout);
        this.metrics.fragBytes += result.bytes.length;
        this.metrics.fragCount++;
        if (this.metrics.levels.length < MAX_SAMPLES) this.metrics.levels.push(this.variant!.level);
        // Parsed and appended a moment later; the next request waits for that, as in hls.js.
        appendTimer = setTimeout(() => {
          release();
          if (this.stopped) return;
          this.playhead!.append(startS, segment.durationS);
          this.nextSeq = segment.seq + 1;
          this.step();
        }, APPEND_MS);
      },
      onError: (error) => {
        if (settled || this.stopped) return;
        release();
        this.error(`segment ${segment.seq}: ${error.message}`);
        this.retryAt = performance.now() + 1000;
      },
    });
    this.inFlight = () => {
      if (!settled) abort();
      release();
    };
  }

  /** The init section, fetched once over plain HTTP as hls.js's own loader does (never via peers). */
  private async loadInit(segment: Segment): Promise<void> {
    const init = segment.init;
    const key = init ? `${init.url}#${init.byteRange?.start ?? ''}` : '';
    if (!init || this.initsLoaded.has(key)) return;
    this.initsLoaded.add(key);
    const headers: Record<string, string> = init.byteRange ? { Range: `bytes=${init.byteRange.start}-${init.byteRange.end}` } : {};
    try {
      const response = await fetch(init.url, { headers, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      this.error(`init ${init.url}: ${(error as Error).message}`);
    }
  }

  private async reloadSafely(): Promise<void> {
    try {
      await this.reload();
    } catch (error) {
      this.error(`playlist: ${(error as Error).message}`);
      this.nextReloadAt = performance.now() + 1000;
    }
  }

  private async reload(): Promise<void> {
    this.reloading = true;
    try {
      const media = readMedia(await fetchText(this.variant!.url), this.variant!.url);
      const previousLast = this.media?.segments.at(-1)?.seq;
      if (media.live) this.timeline.update(media.segments);
      this.media = media;
      this.playlistLoadedAt = performance.now();
      // hls.js: reload after a target duration, or half of it when the playlist had not changed.
      const changed = media.segments.at(-1)?.seq !== previousLast;
      this.nextReloadAt = this.playlistLoadedAt + media.targetDurationS * (changed ? 1000 : 500);
    } finally {
      this.reloading = false;
    }
  }

  private startOf(segment: Segment): number {
    return this.media?.live ? (this.timeline.startOf(segment.seq) ?? 0) : segment.offsetS;
  }

  private error(message: string): void {
    if (this.metrics.errors.length < MAX_ERRORS) this.metrics.errors.push(message);
    this.options.log?.(message);
  }

  private fatal(message: string): void {
    this.metrics.fatalErrors.push(message);
    this.error(message);
  }
}
