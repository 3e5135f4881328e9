import type { SegmentId, SegmentRange } from '../protocol/index.js';
import type { Clock, PeerTransport } from '../io/interfaces.js';
import { Emitter } from './emitter.js';
import { Peer, type MisbehaviorCode, type PeerLimits } from './peer.js';
import type { UploadSource } from './uploader.js';

export interface PoolConfig extends PeerLimits {
  /** Our own peer id, to settle duplicate connections the same way on both ends. */
  readonly selfId: string;
  readonly maxPeers: number;
  readonly uploads: boolean;
  /** Failures (timeouts, stalls, rejects) after which a peer is dropped. */
  readonly maxPeerFailures: number;
}

export type PoolEvents = {
  'peer-connected': { peerId: string; peers: number };
  'peer-disconnected': { peerId: string; reason: string; peers: number };
  'peer-misbehaved': { peerId: string; code: MisbehaviorCode; reason: string };
  have: { peer: Peer; ranges: readonly SegmentRange[] };
  discarded: { bytes: number };
};

/** The viewers we are connected to: admission, availability gossip and peer choice. */
export class PeerPool extends Emitter<PoolEvents> {
  private readonly peers = new Map<string, Peer>();
  private readonly banned = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly source: UploadSource,
    private readonly config: PoolConfig,
    private readonly holding: () => readonly SegmentId[],
  ) {
    super();
  }

  get size(): number {
    return [...this.peers.values()].filter((p) => p.isReady).length;
  }

  get wantsMorePeers(): boolean {
    return this.peers.size < this.config.maxPeers;
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
      existing.close('replaced by the preferred duplicate connection');
    } else if (this.banned.has(id) || !this.wantsMorePeers) {
      return transport.close();
    }
    const peer = new Peer(transport, this.clock, this.source, this.config);
    this.peers.set(id, peer);
    peer.on('ready', () => this.emit('peer-connected', { peerId: id, peers: this.size }));
    peer.on('have', (event) => this.emit('have', event));
    peer.on('discarded', ({ bytes }) => this.emit('discarded', { bytes }));
    peer.on('misbehaved', ({ code, reason }) => {
      this.banned.add(id);
      this.emit('peer-misbehaved', { peerId: id, code, reason });
    });
    peer.on('close', ({ reason }) => {
      if (this.peers.get(id) !== peer) return;
      this.peers.delete(id);
      this.emit('peer-disconnected', { peerId: id, reason, peers: this.size });
    });
    peer.start(this.config.uploads, this.holding());
  }

  /** Peers that hold the segment, best first: idle before busy, then fastest measured. */
  peersWith(id: SegmentId, exclude: ReadonlySet<string> = new Set()): Peer[] {
    return [...this.peers.values()]
      .filter((p) => p.has(id) && !exclude.has(p.id))
      .sort((a, b) => a.activeDownloads - b.activeDownloads || b.throughput.bytesPerMs(0) - a.throughput.bytesPerMs(0));
  }

  /** Ids of ready peers that recently announced segments close to this one on its track. */
  peersNear(id: SegmentId, window: number): string[] {
    return [...this.peers.values()].filter((p) => p.isReady && p.hasNear(id, window)).map((p) => p.id);
  }

  announce(ids: readonly SegmentId[]): void {
    for (const peer of this.peers.values()) peer.announce(ids);
  }

  announceLost(ids: readonly SegmentId[]): void {
    for (const peer of this.peers.values()) peer.announceLost(ids);
  }

  /** Counts a failure against a peer and drops it once it keeps failing. */
  penalize(peer: Peer, reason: string): void {
    peer.failures++;
    if (peer.failures >= this.config.maxPeerFailures) peer.close(`too many failures (last: ${reason})`);
  }

  /** Stops trusting a peer for the rest of the session. */
  ban(peerId: string, reason: string): void {
    this.banned.add(peerId);
    this.peers.get(peerId)?.close(`banned: ${reason}`);
  }

  isBanned(peerId: string): boolean {
    return this.banned.has(peerId);
  }

  destroy(): void {
    for (const peer of [...this.peers.values()]) peer.close('shutting down');
    this.peers.clear();
    this.removeAllListeners();
  }
}
