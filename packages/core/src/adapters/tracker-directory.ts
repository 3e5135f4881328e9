import Client from 'bittorrent-tracker/client';
import { ENGINE_OPTIONS } from '../engine/config.js';
import type { PeerTransport, SwarmDirectory } from '../io/interfaces.js';
import { int, resolveOptionTable, type OptionsInput, type OptionsOf } from '../options/index.js';
import { ConnectionGate } from './connection-gate.js';
import { simplePeerTransport, type SimplePeer } from './simple-peer-transport.js';
import { TrackerHealth, type TrackerState } from './tracker-health.js';

/** The directory's tunables; the comment above a row is its doc (README tables: `npm run docs:options`). */
export const TRACKER_DIRECTORY_OPTIONS = {
  /** Most connections open or being set up (give it the engine's `maxPeers`). */
  maxPeers: ENGINE_OPTIONS.maxPeers,
  /** Most connections being set up at once; offers beyond it are refused unanswered. */
  maxConnecting: int(6, 1, 100),
  /** A connection still in setup after this long gives its place to a new offer. */
  setupGraceMs: int(4000, 100, 600_000, 'ms'),
  /** A peer that has not connected this long after signalling is dropped. */
  connectTimeoutMs: int(15_000, 1000, 600_000, 'ms'),
  /** Least time between two announces asking for more peers. */
  minReannounceMs: int(5000, 0, 3_600_000, 'ms'),
};

export interface TrackerDirectoryOptions extends OptionsInput<typeof TRACKER_DIRECTORY_OPTIONS> {
  /** WebSocket tracker URLs (wss:// in production). */
  readonly trackerUrls: readonly string[];
  /** Our 20-byte peer id as 40 hex characters. */
  readonly peerId: string;
  readonly rtcConfig?: RTCConfiguration;
  onWarning?(message: string): void;
  /** The tracker started answering, or stopped: 'unreachable' after a few failed tries in a row. */
  onStateChange?(state: TrackerState, lastError?: string): void;
}

/**
 * bittorrent-tracker's client shares one WebSocket per announce URL among all clients of a page,
 * and clients on a shared socket take each other's answers. Every directory alive in this JS
 * context after the first gets its own socket through a distinct query parameter.
 */
const slotsInUse = new Set<number>();
/** The WebSocket tracker protocol's client sends at most this many offers per announce. */
const MAX_OFFERS_PER_ANNOUNCE = 5;

function takeSlot(): number {
  let slot = 0;
  while (slotsInUse.has(slot)) slot++;
  slotsInUse.add(slot);
  return slot;
}

function forSlot(url: string, slot: number): string {
  if (slot === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}shoal-instance=${slot}`;
}

/** Finds swarm members through bittorrent-tracker's WebSocket client (WebTorrent tracker protocol). */
export class TrackerDirectory implements SwarmDirectory {
  private client: Client | undefined;
  private slot: number | undefined;
  private lastAnnounce = 0;
  private swarmSize: number | undefined;
  /**
   * Offers the next announce carries. Each offer is an RTCPeerConnection built and gathering ICE
   * before anyone answers, kept 50 s if nobody does, so announces carry none (the first, the
   * periodic ones) except where we asked for peers, and then no more than the tracker knows of:
   * 8 pages built 97 peer connections for 50 in use when every announce carried 5.
   */
  private offersNext = 0;
  private offeredCount = 0;
  private readonly gate: ConnectionGate;
  private refusedCount = 0;
  private readonly health: TrackerHealth;

  private readonly limits: OptionsOf<typeof TRACKER_DIRECTORY_OPTIONS>;

  constructor(private readonly options: TrackerDirectoryOptions) {
    this.limits = resolveOptionTable(TRACKER_DIRECTORY_OPTIONS, options, { prefix: 'TrackerDirectory options', unknownFields: 'ignore' });
    this.gate = new ConnectionGate({ ...this.limits, now: () => Date.now() });
    this.health = new TrackerHealth((state, lastError) => options.onStateChange?.(state, lastError));
  }

  /**
   * Connections being set up and open now; setups given up, offers refused and offers made so
   * far (floods show here, and what our own announces cost).
   */
  get connections(): { connecting: number; open: number; evicted: number; duplicates: number; refused: number; offered: number } {
    return { ...this.gate.counts, refused: this.refusedCount, offered: this.offeredCount };
  }

  /** 'connecting' until the tracker first answers. */
  get state(): TrackerState {
    return this.health.state;
  }

  join(swarmId: string, onPeer: (transport: PeerTransport) => void, wantsPeers: () => boolean = () => true): void {
    if (this.client) throw new Error('already joined a swarm');
    const client = new Client({
      infoHash: swarmId,
      peerId: this.options.peerId,
      announce: this.options.trackerUrls.map((url) => forSlot(url, (this.slot ??= takeSlot()))),
      port: 443,
      rtcConfig: this.options.rtcConfig,
      // Applied over every announce's own options, the periodic ones included. held_peers (a Shoal
      // tracker extension; others ignore it) sends our offers to members we are not connected to:
      // picked at random, re-asks in a live-8 bench mostly reached peers already held, leaving each
      // viewer 6 of 7 possible connections and the live-edge ranking split.
      getAnnounceOpts: () => ({ numwant: this.offersNext, held_peers: this.gate.remoteIds }),
    });
    client.on('peer', (peer) => this.admit(peer, onPeer, wantsPeers));
    client.on('update', (data) => {
      this.health.answered();
      const total = Number(data.complete) + Number(data.incomplete);
      if (!Number.isFinite(total)) return;
      const first = this.swarmSize === undefined;
      this.swarmSize = total;
      // The first answer says how many are there to meet: offers go out now, one per member.
      if (first && total > 1) this.announceOffers(total - 1);
    });
    client.on('warning', (error) => {
      // The tracker's own refusals ('failure reason') arrive here too; only a socket that could
      // not connect (simple-websocket's message) says anything about reachability.
      if (error.message.startsWith('Error connecting to ')) this.health.failed(error.message);
      this.options.onWarning?.(`tracker: ${error.message}`);
    });
    client.on('error', (error) => {
      this.options.onWarning?.(`tracker error: ${error.message}`);
    });
    client.start();
    this.client = client;
    this.lastAnnounce = Date.now();
  }

  othersInSwarm(): number | undefined {
    return this.swarmSize === undefined ? undefined : Math.max(0, this.swarmSize - 1);
  }

  requestMorePeers(count = MAX_OFFERS_PER_ANNOUNCE): void {
    if (Date.now() - this.lastAnnounce < this.limits.minReannounceMs) return;
    this.announceOffers(count);
  }

  /** One announce carrying `count` offers (at most what the protocol allows, and the members we can hold). */
  private announceOffers(count: number): void {
    if (!this.client) return;
    this.lastAnnounce = Date.now();
    this.offersNext = Math.max(1, Math.min(MAX_OFFERS_PER_ANNOUNCE, this.limits.maxPeers, Math.floor(count)));
    this.offeredCount += this.offersNext;
    try {
      this.client.update();
    } finally {
      this.offersNext = 0;
    }
  }

  leave(): void {
    const client = this.client;
    this.client = undefined;
    if (this.slot !== undefined) slotsInUse.delete(this.slot);
    this.slot = undefined;
    if (!client) return;
    client.stop();
    client.destroy();
  }

  /**
   * The client builds the RTCPeerConnection before it emits 'peer' (its simple-peer imports
   * WebRTC itself, with no hook to refuse earlier), but applies the remote offer only after:
   * a connection refused here never gathers ICE, answers or runs DTLS.
   */
  private admit(peer: SimplePeer, onPeer: (transport: PeerTransport) => void, wantsPeers: () => boolean): void {
    const remoteId = peer.id;
    if (!remoteId) return peer.destroy();
    // An offer, or the answer to one of ours, while we hold all the peers we may (the device's
    // health lowers that), or from a viewer we already hold: refused before ICE and DTLS, where
    // the pool would refuse it only once connected (live-12: a third of the connections that ran
    // DTLS). Of two racing connections to one viewer, both ends keep the one the lower peer id
    // initiated (as the pool does).
    const preferred = peer.initiator === this.options.peerId < remoteId;
    if (!wantsPeers() || this.gate.admit(peer, { id: remoteId, preferred }) !== undefined) {
      this.refusedCount++;
      return peer.destroy();
    }
    const timeout = setTimeout(() => {
      this.gate.release(peer);
      peer.destroy();
    }, this.limits.connectTimeoutMs);
    const handOver = () => {
      clearTimeout(timeout);
      if (this.client && !peer.destroyed) onPeer(simplePeerTransport(peer, remoteId));
      else peer.destroy();
    };
    peer.on('error', () => clearTimeout(timeout));
    if (peer.connected) handOver();
    else peer.once('connect', handOver);
  }
}
