import type { Clock, HttpClient, SegmentVerifier } from '../io/interfaces.js';
import type { EngineConfig } from './config.js';
import type { EngineEvents } from './events.js';
import type { FetchDeps } from './fetch-contract.js';
import type { HttpEstimate } from './http-estimate.js';
import type { PeerPool } from './peer-pool.js';
import type { ShoalStats } from './stats.js';

export interface FetchWiring {
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly verifier: SegmentVerifier | undefined;
  readonly pool: PeerPool;
  readonly config: Pick<EngineConfig, 'peerStallMs' | 'pieceBytes' | 'maxPeersPerSegment'>;
  /** The engine's byte counters, kept by source as fetches bring bytes in or throw them away. */
  readonly counters: ShoalStats;
  readonly httpEstimate: HttpEstimate;
  /** The engine's events about peer bytes thrown away. */
  report(event: 'segment-corrupted', payload: EngineEvents['segment-corrupted']): void;
  report(event: 'peer-bytes-dropped', payload: EngineEvents['peer-bytes-dropped']): void;
}

/** What every segment fetch of one engine needs: built once, shared by all its fetches. */
export function buildFetchDeps(w: FetchWiring): FetchDeps {
  const { counters, pool } = w;
  /** Peer bytes counted as they arrived turned out unusable: they move from p2p to rejected. */
  const discard = (bytes: number) => {
    counters.p2pBytes -= bytes;
    counters.rejectedBytes += bytes;
  };
  return {
    clock: w.clock,
    http: w.http,
    pool,
    verifier: w.verifier,
    peerStallMs: w.config.peerStallMs,
    pieceBytes: w.config.pieceBytes,
    maxPeersPerSegment: w.config.maxPeersPerSegment,
    countBytes: (source, bytes) => {
      if (source === 'http') counters.httpBytes += bytes;
      else counters.p2pBytes += bytes;
    },
    peersCorrupted: (id, peerIds, bytes) => {
      discard(bytes);
      for (const peerId of peerIds) pool.ban(peerId, 'sent data that failed verification');
      w.report('segment-corrupted', { id, peerIds, bytes });
    },
    peerBytesDropped: (id, bytes, code, detail) => {
      discard(bytes);
      w.report('peer-bytes-dropped', { id, bytes, code, detail });
    },
    peerFailed: (peer, failure, detail) => pool.penalize(peer, failure, detail),
    peerDelivered: (peer) => pool.credit(peer),
    peerLied: (peerId, detail) => pool.keepOut(peerId, 'false-claim', detail),
    httpMeasured: (bytes, ms, ttfbMs) => w.httpEstimate.networkMeasured(bytes, ms, ttfbMs),
  };
}
