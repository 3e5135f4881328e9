/**
 * The engine's view of the outside world. Browsers get real adapters (fetch, WebRTC,
 * bittorrent-tracker, performance.now); tests and the simulator pass fakes.
 */

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type TimerHandle = { readonly __timer: unique symbol } | number | object;

export interface ByteRange {
  /** First byte, inclusive. */
  readonly start: number;
  /** Last byte, inclusive; undefined = to the end. */
  readonly end?: number;
}

export interface HttpRequest {
  readonly url: string;
  readonly range?: ByteRange;
  readonly signal: AbortSignal;
  /** Called as body bytes arrive, with the running total. */
  onProgress?(loaded: number, total: number | undefined): void;
  /** Called once response headers arrive (time to first byte). */
  onHeaders?(status: number): void;
}

export interface HttpResponse {
  readonly status: number;
  readonly url: string;
  readonly data: Uint8Array;
}

export interface HttpClient {
  /** Resolves with the whole body; rejects with HttpError on a non-2xx status or network failure. */
  get(request: HttpRequest): Promise<HttpResponse>;
}

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    message: string,
    /** 0 for network failures and aborts. */
    readonly status: number,
    readonly aborted = false,
    /** No response (or no further byte) within the client's time limit: a timeout, as the player would call it. */
    readonly timedOut = false,
  ) {
    super(message);
  }
}

/** One open, reliable, ordered data channel to a remote viewer. */
export interface PeerTransport {
  /** Stable id of the remote peer (hex of its tracker peer_id). */
  readonly remoteId: string;
  /** We made the offer. When two viewers connect to each other twice, the swarm keeps the
   *  connection initiated by the lower peer id. */
  readonly initiator: boolean;
  send(frame: Uint8Array): void;
  /** Bytes queued and not yet sent, for backpressure. */
  readonly bufferedAmount: number;
  onFrame(listener: (frame: Uint8Array) => void): void;
  /** detail: the transport's own words on why (for logs; the engine reports it as transport-closed). */
  onClose(listener: (detail?: string) => void): void;
  close(): void;
}

/** Finds other viewers of the same swarm and hands over open transports to them. */
export interface SwarmDirectory {
  /**
   * `wantsPeers` says whether we take a new connection now (an offer, or the answer to ours): refused before
   * any ICE or DTLS work while the engine holds all the peers it may (its device's health too).
   */
  join(swarmId: string, onPeer: (transport: PeerTransport) => void, wantsPeers?: () => boolean): void;
  /**
   * Announces with fresh offers, e.g. when the engine wants more peers; `count`: how many are
   * missing (each offer is a connection being set up, so no more are made than useful).
   */
  requestMorePeers(count?: number): void;
  /** Other viewers in the swarm as the tracker last counted them; undefined until it answers. */
  othersInSwarm(): number | undefined;
  leave(): void;
}

/** What the player is doing, for deadlines. */
export interface Playhead {
  /** Seconds of media buffered ahead of the playhead (0 before playback starts). */
  bufferedAheadS(): number;
  /** Current media time in seconds. */
  positionS(): number;
  playbackRate(): number;
}

/**
 * What a verifier says about segment bytes that came from peers:
 * - 'ok': they match the reference; deliver them.
 * - 'mismatch': they do not; the senders altered them (drop, ban the senders, refetch over HTTP).
 * - 'unknown': no reference exists for this stream (no manifest); the bytes are accepted as-is.
 * - 'unverifiable': a reference should exist but does not cover this segment (yet), or cannot be
 *   read: the bytes are dropped and the segment fetched over HTTP, and nobody is blamed.
 */
export type Verdict = 'ok' | 'mismatch' | 'unknown' | 'unverifiable';

/** Checks segment bytes that came from peers against a trusted source (a hash manifest from the origin). */
export interface SegmentVerifier {
  verify(segment: { readonly url: string; readonly byteRange?: ByteRange }, bytes: Uint8Array): Promise<Verdict>;
  /** The segment's true size when the reference already knows it (no waiting, no I/O). */
  knownSize?(segment: { readonly url: string; readonly byteRange?: ByteRange }): number | undefined;
}
