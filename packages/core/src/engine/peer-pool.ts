import type { SegmentId, SegmentRange } from '../protocol/index.js';
import type { Clock, PeerTransport } from '../io/interfaces.js';
import { Emitter } from './emitter.js';
import type { PeerFailure } from './fetch-contract.js';
import type { PeerInfo } from './peer-tally.js';
import { Peer, type PeerLimits } from './peer.js';
import type { DisconnectCode, MisbehaviorCode } from './reasons.js';
import type { UploadSource } from './uploader.js';
import { UploadShares, type UploadShareLimits } from './upload-share.js';

export interface PoolConfig extends PeerLimits, UploadShareLimits {
  /** Our own peer id, to settle duplicate connections the same way on both ends. */
  readonly selfId: string;
  readonly maxPeers: number;
  readonly uploads: boolean;
  /** Failures (stalls, slow transfers, refusals) after which a peer is dropped for the session. */
  readonly maxPeerFailures: number;
}

export type PoolEvents = {
  'peer-connected': { peerId: string; peers: number };
  'peer-disconnected': { peerId: string; code: DisconnectCode; detail: string; peers: number };
  'peer-misbehaved': { peerId: string; code: MisbehaviorCode; detail: string };
  have: { peer: Peer; ranges: readonly SegmentRange[] };
  discarded: { bytes: number };
};

/** What we hold against a peer, and whether it has earned trust. */
interface PeerRecord {
  /** Delivered a whole request at least once: off probation. */
  delivered: boolean;
  failures: number;
}

/**
 * The viewers we are connected to: admission, availability gossip and peer choice.
 *
 * A new peer is on probation: one request at a time until it delivers one, and any failure
 * before that but a slow pace keeps it out for the session (a new peer id costs an attacker
 * nothing, so a newcomer's first failure must cost us nothing more). A peer that breaks its claim (announced a
 * segment, then refused it or never answered) is kept out at once; any other that keeps failing,
 * after maxPeerFailures.
 */
export class PeerPool extends Emitter<PoolEvents> {
  private readonly peers = new Map<string, Peer>();
  private readonly banned = new Set<string>();
  private readonly records = new WeakMap<Peer, PeerRecord>();
  private readonly shares: UploadShares;
  /** Connections allowed right now (the device's health may cap config.maxPeers). */
  private limit = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    source: UploadSource,
    private readonly config: PoolConfig,
    private readonly holding: () => readonly SegmentId[],
  ) {
    super();
    this.shares = new UploadShares(clock, source, config);
  }

  get size(): number {
    return [...this.peers.values()].filter((p) => p.isReady).length;
  }

  get wantsMorePeers(): boolean {
    return this.peers.size < Math.min(this.config.maxPeers, this.limit);
  }

  add(transport: PeerTransport): void {
    const id = transport.remoteId;
    const existing = this.peers.get(id);
    if (existing) {
      // Introduced again (a re-announce reaches random members, some already connected): a
      // working connection stays, transfers and all. Two half-open ones racing are settled the
      // same way on both ends.
      if (existing.isReady || transport.initiator !== this.config.selfId < id) return transport.close();
      this.peers.delete(id);
      existing.close('duplicate', 'replaced by the preferred duplicate connection');
    } else if (this.banned.has(id) || !this.wantsMorePeers) {
      return transport.close();
    }
    const peer = new Peer(transport, this.clock, this.shares.forPeer(id), this.config);
    this.peers.set(id, peer);
    this.records.set(peer, { delivered: false, failures: 0 });
    peer.on('ready', () => this.emit('peer-connected', { peerId: id, peers: this.size }));
    peer.on('have', (event) => this.emit('have', event));
    peer.on('discarded', ({ bytes }) => this.emit('discarded', { bytes }));
    peer.on('misbehaved', ({ code, detail }) => {
      this.banned.add(id);
      this.emit('peer-misbehaved', { peerId: id, code, detail });
    });
    peer.on('close', ({ code, detail }) => {
      if (this.peers.get(id) !== peer) return;
      this.peers.delete(id);
      this.shares.release(id);
      this.emit('peer-disconnected', { peerId: id, code, detail, peers: this.size });
    });
    peer.start(this.config.uploads, this.holding());
  }

  /** Every open connection, for the page's per-peer view. */
  infos(): PeerInfo[] {
    return [...this.peers.values()].map((p) => p.info());
  }

  /** Peers that hold the segment and may be asked now, best first: idle before busy, then fastest measured. */
  peersWith(id: SegmentId, exclude: ReadonlySet<string> = new Set()): Peer[] {
    return [...this.peers.values()]
      .filter((p) => p.has(id) && !exclude.has(p.id) && (this.records.get(p)?.delivered || p.activeDownloads === 0))
      .sort((a, b) => a.activeDownloads - b.activeDownloads || b.throughput.bytesPerMs(0) - a.throughput.bytesPerMs(0));
  }

  /**
   * Ready peers that recently announced segments close to this one on its track, with how long
   * each connection has been usable.
   */
  peersNear(id: SegmentId, window: number): Array<{ readonly id: string; readonly readyForMs: number }> {
    return [...this.peers.values()].filter((p) => p.isReady && p.hasNear(id, window)).map((p) => ({ id: p.id, readyForMs: p.readyForMs }));
  }

  announce(ids: readonly SegmentId[]): void {
    for (const peer of this.peers.values()) peer.announce(ids);
  }

  announceLost(ids: readonly SegmentId[]): void {
    for (const peer of this.peers.values()) peer.announceLost(ids);
  }

  /** A peer delivered a whole request: it is off probation. */
  credit(peer: Peer): void {
    const record = this.records.get(peer);
    if (record) record.delivered = true;
  }

  /** Holds a failed download against a peer: see the class comment for what it costs. */
  penalize(peer: Peer, failure: PeerFailure, detail: string): void {
    const record = this.records.get(peer);
    if (failure === 'gone' || !record || !peer.isReady) return;
    if (failure === 'broke-claim') return this.keepOut(peer.id, 'false-claim', `announced a segment it did not serve (${detail})`);
    // Too slow is no lie (a new connection's first transfer is often its slowest): its measured
    // pace keeps it from being asked while it could not deliver in time, which costs nothing more.
    if (!record.delivered && failure !== 'too-slow')
      return this.keepOut(peer.id, 'unreliable', `failed its first request (${failure}: ${detail})`);
    if (++record.failures >= this.config.maxPeerFailures)
      this.keepOut(peer.id, 'unreliable', `too many failures (last: ${failure}: ${detail})`);
  }

  /**
   * Bans a peer for what it did, and says so once (it counts among the banned): a peer already
   * out is not reported again for a later finding about the same bytes.
   */
  keepOut(peerId: string, code: MisbehaviorCode, detail: string): void {
    if (this.banned.has(peerId)) return;
    this.ban(peerId, `${code}: ${detail}`);
    this.emit('peer-misbehaved', { peerId, code, detail });
  }

  /** Stops trusting a peer for the rest of the session. */
  ban(peerId: string, detail: string): void {
    this.banned.add(peerId);
    this.peers.get(peerId)?.close('banned', detail);
  }

  isBanned(peerId: string): boolean {
    return this.banned.has(peerId);
  }

  /**
   * No new connections beyond max from now on; open ones stay. Closing a connection and building
   * it again when the device recovers costs far more than keeping it idle (see HealthBudget.maxPeers).
   */
  limitPeers(max: number): void {
    this.limit = max;
  }

  destroy(): void {
    for (const peer of [...this.peers.values()]) peer.close('shutdown', 'the engine was destroyed');
    this.peers.clear();
    this.removeAllListeners();
  }
}
