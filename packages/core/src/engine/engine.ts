import type { SegmentId } from '../protocol/index.js';
import type { Clock, HttpClient, Playhead, SegmentVerifier, SwarmDirectory } from '../io/interfaces.js';
import { resolveEngineConfig, type EngineConfig } from './config.js';
import { Emitter } from './emitter.js';
import { PeerPool } from './peer-pool.js';
import { ranksAtEdge } from './live-edge.js';
import { planFetch, type Plan, type PolicyInput } from './policy.js';
import type { PeerInfo } from './peer-tally.js';
import type { EngineEvents } from './events.js';
import type { FetchCallbacks, FetchDeps, SegmentRequest } from './fetch-contract.js';
import { buildFetchDeps } from './fetch-deps.js';
import { SegmentFetch } from './segment-fetch.js';
import { segmentKey } from './segment-key.js';
import { SegmentStore } from './segment-store.js';
import { emptyStats, type ShoalStats } from './stats.js';
import type { HealthChange } from './device-health.js';
import { DeviceBudget, type DeviceSignal } from './device-budget.js';
import { HttpEstimate } from './http-estimate.js';
import { SwarmPresence } from './swarm-presence.js';

export interface EngineDeps {
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly playhead: Playhead;
  /** Our own peer id, as the swarm knows it (rendezvous ranking needs it). */
  readonly peerId: string;
  /** Absent: HTTP only (P2P disabled). */
  readonly directory?: SwarmDirectory;
  /** Absent: peer bytes are trusted as received (no hash manifest). */
  readonly verifier?: SegmentVerifier;
}

export interface LoadRequest extends SegmentRequest {
  /** Live stream: new segments appear at the edge for everyone at once. */
  readonly live: boolean;
}

export type { EngineEvents } from './events.js';

/** How far back (in segments) a peer's announcements count as "on this track right now". */
const LIVE_NEIGHBOURHOOD = 3;

/**
 * Shoal's engine, independent of any player: takes segment requests, serves them from the
 * store, peers or HTTP, shares what it holds, and counts every byte by source.
 */
export class ShoalEngine extends Emitter<EngineEvents> {
  readonly config: EngineConfig;
  private readonly store: SegmentStore;
  private readonly pool: PeerPool;
  private readonly counters: ShoalStats = emptyStats();
  private readonly httpEstimate = new HttpEstimate();
  private readonly device: DeviceBudget;
  private readonly fetches = new Set<SegmentFetch>();
  private readonly fetchDeps: FetchDeps;
  /** Absent when P2P is off (no directory, or maxPeers 0). */
  private readonly presence: SwarmPresence | undefined;
  private destroyed = false;

  constructor(
    private readonly deps: EngineDeps,
    config?: Partial<EngineConfig>,
  ) {
    super();
    this.config = resolveEngineConfig(config);
    this.device = new DeviceBudget(deps.clock, deps.playhead, this.config, (change) => this.healthChanged(change));
    this.store = new SegmentStore(
      this.config.storeBytes,
      { added: (id) => this.pool.announce([id]), evicted: (ids) => this.pool.announceLost(ids) },
      () => deps.playhead.positionS(),
    );
    this.pool = new PeerPool(
      deps.clock,
      {
        segment: (id) => this.store.get(id),
        uploadsEnabled: () => this.device.uploadsEnabled(),
        uploadDelayMs: (bytes) => this.device.uploadDelayMs(bytes),
        uploaded: (bytes) => (this.counters.uploadBytes += bytes),
      },
      { ...this.config, selfId: deps.peerId },
      () => this.store.ids(),
    );
    this.pool.on('peer-connected', (e) => this.emit('peer-connected', e));
    this.pool.on('peer-disconnected', (e) => {
      this.emit('peer-disconnected', e);
      if (this.pool.wantsMorePeers) this.deps.directory?.requestMorePeers(1);
    });
    this.pool.on('peer-misbehaved', (e) => this.emit('peer-misbehaved', e));
    this.pool.on('discarded', ({ bytes }) => (this.counters.rejectedBytes += bytes));
    const directory = this.swarmDirectory();
    this.presence = directory && new SwarmPresence(deps.clock, directory, this.pool, this.config, () => this.device.maxPeers);
    const { clock, http, verifier } = deps;
    const { pool, counters, httpEstimate } = this;
    this.fetchDeps = buildFetchDeps({
      clock,
      http,
      verifier,
      pool,
      config: this.config,
      counters,
      httpEstimate,
      report: (event, payload) => this.emit(event, payload),
    });
  }

  /**
   * The swarm is about to be joined (the player's first frame is moments away): segments
   * requested from now on may wait for peers that hold them, within their deadline, rather
   * than go to the origin because the join came a few ms after the request.
   */
  expectSwarm(): void {
    if (!this.presence || this.destroyed) return;
    this.presence.expect();
    this.device.start();
  }

  /**
   * Watches the device's health with P2P off too (the first fragment is buffered): stats() and
   * 'health-changed' then say how the device keeps up without peers, the baseline a page with
   * P2P is judged against. Nothing else changes: the budget only limits P2P.
   */
  watchDevice(): void {
    if (!this.destroyed) this.device.start();
  }

  /**
   * Joins the swarm of a stream (all renditions share one swarm): at once on a healthy device, on
   * a busy one when the buffer holds the level's joinBufferS (device-health.ts).
   */
  start(swarmId: string): void {
    const directory = this.swarmDirectory();
    if (!directory || !this.presence || this.destroyed) return;
    this.device.start();
    this.presence.joinWhenReady(
      () => this.deps.playhead.bufferedAheadS() >= this.device.budget.joinBufferS,
      () =>
        directory.join(
          swarmId,
          (transport) => this.pool.add(transport),
          () => this.pool.wantsMorePeers,
        ),
    );
  }

  /** Every open peer connection: bytes each way, round trip, state (for a page's per-peer view). */
  peers(): PeerInfo[] {
    return this.pool.infos();
  }

  stats(): ShoalStats {
    return {
      ...this.counters,
      peers: this.pool.size,
      storeBytes: this.store.bytes,
      storeSegments: this.store.count,
      health: this.device.level,
    };
  }

  /** What the browser tells about the device (long tasks, dropped frames, a hidden page), for its health. */
  reportDeviceSignal(signal: DeviceSignal): void {
    this.device.report(signal);
  }

  /** Loads one segment; returns a function that aborts the load. */
  load(request: LoadRequest, callbacks: FetchCallbacks): () => void {
    if (this.destroyed) {
      callbacks.onError(new Error('Shoal engine is destroyed'));
      return () => {};
    }
    const cached = this.store.get(request.id);
    if (cached) {
      const now = this.deps.clock.now();
      this.counters.segmentsFromCache++;
      const result = { bytes: cached, source: 'cache' as const, httpBytes: 0, p2pBytes: 0 };
      this.deps.clock.setTimeout(
        () => callbacks.onSuccess({ ...result, requestedAt: now, transferStartedAt: now, firstByteAt: now, endedAt: now }),
        0,
      );
      return () => {};
    }
    const holdMs = this.prefetchHoldMs(request);
    if (holdMs === 0) return this.fetch(request, callbacks, 0);
    // Far enough ahead that it can wait its turn: peers deliver it at prefetch pace, not in a burst.
    let abort: (() => void) | undefined;
    const timer = this.deps.clock.setTimeout(() => (abort = this.destroyed ? undefined : this.fetch(request, callbacks, holdMs)), holdMs);
    return () => (abort ? abort() : this.deps.clock.clearTimeout(timer));
  }

  private fetch(request: LoadRequest, callbacks: FetchCallbacks, heldMs: number): () => void {
    const basis = this.planInput(request);
    const plan = planFetch(basis, this.config);
    const plannedDoneAt = this.deps.clock.now() + (plan.kind === 'http' ? 0 : plan.giveUpMs) + this.httpEstimateMs(request);
    const fetch: SegmentFetch = new SegmentFetch(this.fetchDeps, request, {
      onProgress: callbacks.onProgress,
      onSuccess: (result) => {
        this.fetches.delete(fetch);
        this.httpEstimate.segmentSeen(request.id.track, result.bytes.length);
        if (result.source === 'http') this.httpEstimate.delivered(result.bytes.length, result.endedAt - result.transferStartedAt);
        this.device.delivered(result.endedAt - plannedDoneAt);
        if (result.source === 'http') this.counters.segmentsFromHttp++;
        else this.counters.segmentsFromPeers++;
        this.keep(request, result.bytes);
        const ms = result.endedAt - result.requestedAt;
        const { source, httpBytes, p2pBytes, httpReason } = result;
        this.emit('segment-loaded', {
          id: request.id,
          source,
          httpBytes,
          p2pBytes,
          ms,
          plan: plan.kind,
          heldMs,
          httpReason,
          // The policy's whole input (the type names what a page reads): a copy would cost the
          // drop-in file bytes it cannot spare.
          basis,
          waitMs: result.transferStartedAt - result.requestedAt,
        });
        callbacks.onSuccess(result);
      },
      onError: (error) => {
        this.fetches.delete(fetch);
        this.emit('segment-error', { id: request.id, error });
        callbacks.onError(error);
      },
    });
    this.fetches.add(fetch);
    fetch.start(plan, () => this.plan(request));
    return () => {
      this.fetches.delete(fetch);
      this.counters.abandonedBytes += fetch.abort();
    };
  }

  /** Where to find peers, when P2P is on at all (a directory, and room for at least one peer). */
  private swarmDirectory(): SwarmDirectory | undefined {
    return this.config.maxPeers > 0 ? this.deps.directory : undefined;
  }

  /** Holds a segment for other viewers; with no swarm to serve there is nothing to hold. */
  private keep(request: LoadRequest, bytes: Uint8Array): void {
    if (!this.swarmDirectory()) return;
    this.store.put(request.id, bytes, request.startS);
    if (request.live) this.store.trimBehind(this.deps.playhead.positionS() - this.config.liveStoreBehindS);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.presence?.stop();
    this.device.stop();
    for (const fetch of this.fetches) fetch.abort();
    this.fetches.clear();
    this.deps.directory?.leave();
    this.pool.destroy();
    this.store.clear();
    this.removeAllListeners();
  }

  private plan(request: LoadRequest): Plan {
    return planFetch(this.planInput(request), this.config);
  }

  /** What a plan for this segment rests on now. */
  private planInput(request: LoadRequest): PolicyInput {
    const { playhead } = this.deps;
    const budget = this.device.budget;
    return {
      timeToNeedMs: (playhead.bufferedAheadS() / Math.max(playhead.playbackRate(), 0.1)) * 1000,
      httpEstimateMs: this.httpEstimateMs(request),
      peerHasIt: this.pool.peersWith(request.id).length > 0,
      othersFetchFirst: request.live && !this.isEdgeFetcher(request.id),
      peersConnecting: this.presence?.peersStillConnecting() ?? false,
      safetyFactor: budget.safetyFactor,
      waitSafetyFactor: budget.waitSafetyFactor,
      urgentPeers: budget.urgentPeers,
    };
  }

  /** From what this device measured; the deadline timer itself fires as late as the event loop runs. */
  private httpEstimateMs(request: LoadRequest): number {
    return this.httpEstimate.ms(request.id.track, this.device.lagMs);
  }

  /** VOD segments past the prefetch window that peers would deliver wait for their paced turn. */
  private prefetchHoldMs(request: LoadRequest): number {
    if (request.live || !this.swarmDirectory() || this.pool.peersWith(request.id).length === 0) return 0;
    return this.device.prefetchHoldMs(request);
  }

  private healthChanged(change: HealthChange): void {
    this.pool.limitPeers(this.device.maxPeers);
    this.emit('health-changed', change);
  }

  /** Whether we rank among the viewers that fetch this new live segment from the origin (live-edge.ts). */
  private isEdgeFetcher(id: SegmentId): boolean {
    const joinedForMs = this.presence?.joinedForMs() ?? 0;
    return ranksAtEdge(segmentKey(id), this.deps.peerId, this.pool.peersNear(id, LIVE_NEIGHBOURHOOD), joinedForMs, this.config);
  }
}
