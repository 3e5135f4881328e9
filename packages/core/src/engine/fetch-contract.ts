/** What a segment fetch is asked, what it answers, and what it needs from the engine. */
import type { SegmentId } from '../protocol/index.js';
import type { ByteRange, Clock, HttpClient, SegmentVerifier } from '../io/interfaces.js';
import type { Peer } from './peer.js';
import type { PeerPool } from './peer-pool.js';
import type { DropCode } from './reasons.js';

export interface SegmentRequest {
  readonly id: SegmentId;
  readonly url: string;
  /** For byte-range playlists: where the segment sits in the file at url. */
  readonly byteRange?: ByteRange;
  readonly durationS: number;
  /** Media time at which the segment starts. */
  readonly startS: number;
}

export type Source = 'http' | 'p2p' | 'mixed' | 'cache';

/**
 * Why (some of) a segment came over HTTP: the plan said so; the deadline for peers passed; the
 * reason to wait for peers went away; no connected peer held it; the peers serving it failed;
 * peer bytes were rejected (verification, size dispute).
 */
export type HttpReason = 'plan' | 'deadline' | 'replan' | 'no-peer' | 'peer-failed' | 'rejected';

/**
 * How a peer failed one of our downloads, for its record:
 * - broke-claim: it announced the segment, then refused it as not there;
 * - too-slow: its delivered rate could not finish before the deadline (cut over early);
 * - stalled: it did not answer, or went silent mid-transfer, for peerStallMs;
 * - refused: busy, uploads off or over its upload limits (an honest peer may say so);
 * - out-of-place: sent bytes that do not continue its piece;
 * - gone: the connection closed (nothing to hold against it).
 */
export type PeerFailure = 'broke-claim' | 'too-slow' | 'stalled' | 'refused' | 'out-of-place' | 'gone';

export interface SegmentResult {
  readonly bytes: Uint8Array;
  readonly source: Source;
  readonly httpBytes: number;
  readonly p2pBytes: number;
  /** Set when any byte came over HTTP. */
  readonly httpReason?: HttpReason;
  /** performance-style ms: when the load was asked for, when bytes began to flow, first byte, end. */
  readonly requestedAt: number;
  readonly transferStartedAt: number;
  readonly firstByteAt: number;
  readonly endedAt: number;
}

/** Plain functions, not methods: the engine hands them on (onProgress as it is) without `this`. */
export interface FetchCallbacks {
  readonly onProgress: (loaded: number, total: number | undefined) => void;
  readonly onSuccess: (result: SegmentResult) => void;
  readonly onError: (error: Error) => void;
}

/** What every segment fetch needs from the engine: built once, shared by all fetches. */
export interface FetchDeps {
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly pool: PeerPool;
  /** Checks bytes that came from peers before anyone sees them. */
  readonly verifier: SegmentVerifier | undefined;
  /** Ms without a byte from a peer after which the peer is given up on. */
  readonly peerStallMs: number;
  /** Bytes per piece when a segment is pulled from several peers at once. */
  readonly pieceBytes: number;
  /** Most peers one segment is pulled from at once. */
  readonly maxPeersPerSegment: number;
  /** Counts accepted bytes as they arrive, by source. */
  countBytes(source: 'http' | 'p2p', bytes: number): void;
  /** Peers sent bytes that failed verification: they are not to be trusted again. */
  peersCorrupted(id: SegmentId, peerIds: readonly string[], bytes: number): void;
  /** Peer bytes that could not be checked or completed were thrown away; nobody is blamed. */
  peerBytesDropped(id: SegmentId, bytes: number, code: DropCode, detail: string): void;
  /** A peer that failed this fetch, for its record. */
  peerFailed(peer: Peer, failure: PeerFailure, detail: string): void;
  /** A peer delivered everything it was asked for once: it has earned more than one request at a time. */
  peerDelivered(peer: Peer): void;
  /** A peer made a claim the trusted reference contradicts: it is not to be trusted again. */
  peerLied(peerId: string, detail: string): void;
  /** HTTP transfer measured: bytes in ms (feeds the HTTP estimate). */
  httpMeasured(bytes: number, ms: number, ttfbMs: number): void;
}
