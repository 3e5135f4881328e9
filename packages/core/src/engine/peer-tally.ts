/**
 * What one peer connection carried and how quickly it answers, for the page's per-peer view
 * (`Shoal.peers()`): segment bytes each way and the round trip from our request to its first
 * answer (a Response or a Reject frame: the data channel's round trip plus the peer's lookup).
 */

/** handshaking: connected, its handshake not in yet; ready: usable; downloading: we have requests in flight to it. */
export type PeerState = 'handshaking' | 'ready' | 'downloading';

export interface PeerInfo {
  readonly peerId: string;
  readonly state: PeerState;
  /** Segment bytes it sent us (accepted data frames). */
  readonly bytesIn: number;
  /** Segment bytes we sent it. */
  readonly bytesOut: number;
  /** Request -> first answer, smoothed (ms); null before any answer. */
  readonly rttMs: number | null;
  /** Ms since its handshake (0 before). */
  readonly readyForMs: number;
  /** It serves segments to others (its handshake said so). */
  readonly uploads: boolean;
}

/** Weight of the newest round trip in the smoothed one. */
const RTT_WEIGHT = 0.25;

export class PeerTally {
  bytesIn = 0;
  bytesOut = 0;
  rttMs: number | null = null;
  private readonly sentAt = new Map<number, number>();

  requested(requestId: number, now: number): void {
    this.sentAt.set(requestId, now);
  }

  /** Its first answer to a request (later ones for the same request are not timed). */
  answered(requestId: number, now: number): void {
    const at = this.sentAt.get(requestId);
    if (at === undefined) return;
    this.sentAt.delete(requestId);
    const sample = now - at;
    this.rttMs = this.rttMs === null ? sample : this.rttMs + RTT_WEIGHT * (sample - this.rttMs);
  }

  /** A request cancelled or failed before its answer. */
  forget(requestId: number): void {
    this.sentAt.delete(requestId);
  }
}
