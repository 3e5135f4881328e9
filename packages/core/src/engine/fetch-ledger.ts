import type { SegmentId } from '../protocol/index.js';
import type { FetchDeps } from './fetch-contract.js';
import { guiltyPeers, PeerBytes, type PeerSpan } from './peer-bytes.js';
import type { DropCode } from './reasons.js';

/**
 * Why peer bytes are being thrown away: they failed verification (their senders are to blame),
 * or they could not be checked or completed (nobody is).
 */
export type Rejection = { readonly blame: true } | { readonly blame: false; readonly code: DropCode; readonly detail: string };

/** Peer bytes that failed verification, from several peers: judged against the origin's copy once it is here. */
interface Suspect {
  readonly bytes: Uint8Array;
  readonly spans: readonly PeerSpan[];
  readonly p2pBytes: number;
}

type Verdicts = Pick<FetchDeps, 'peersCorrupted' | 'peerBytesDropped' | 'peerLied'>;

/**
 * What peers claimed and sent during one segment fetch, held until something trusted can judge
 * it: who sent which bytes, the size each peer claimed, and bytes that failed verification while
 * it is not yet known which of their senders lied. The origin's copy settles every open account.
 */
export class FetchLedger {
  private readonly senders = new PeerBytes();
  private readonly sizeClaims = new Map<string, number>();
  private suspect: Suspect | undefined;

  constructor(
    private readonly id: SegmentId,
    private readonly verdicts: Verdicts,
  ) {}

  recordBytes(peerId: string, start: number, length: number): void {
    this.senders.record(peerId, start, length);
  }

  /** Total size a peer claimed; checked against the origin's copy when one arrives. */
  claimSize(peerId: string, size: number): void {
    this.sizeClaims.set(peerId, size);
  }

  /**
   * The peer bytes in hand (bytes: the segment as assembled, asked for only when it is kept;
   * p2pBytes: how many came from peers) are thrown away. Blamed bytes from one sender ban it
   * now; from several, they wait for the origin's copy to tell which of them lied.
   */
  reject(rejection: Rejection, bytes: () => Uint8Array | undefined, p2pBytes: number): void {
    const senders = this.senders.peers();
    const spans = this.senders.take();
    const kept = rejection.blame && senders.length > 1 ? bytes() : undefined;
    if (!rejection.blame) this.verdicts.peerBytesDropped(this.id, p2pBytes, rejection.code, rejection.detail);
    else if (kept) this.suspect = { bytes: kept, spans, p2pBytes };
    else this.verdicts.peersCorrupted(this.id, senders, p2pBytes);
  }

  /** The whole segment as the origin has it: bans exactly the peers whose bytes or size claims differ. */
  settle(truth: Uint8Array): void {
    const suspect = this.suspect;
    this.suspect = undefined;
    if (suspect) this.verdicts.peersCorrupted(this.id, guiltyPeers(suspect.spans, suspect.bytes, truth), suspect.p2pBytes);
    for (const [peerId, claimed] of this.sizeClaims) {
      if (claimed !== truth.length) this.verdicts.peerLied(peerId, `claimed segment size ${claimed}, the origin's is ${truth.length}`);
    }
    this.sizeClaims.clear();
  }

  /** The fetch failed: no origin copy will judge the suspect bytes; they are dropped, nobody is banned. */
  closeUnsettled(): void {
    if (this.suspect) this.verdicts.peersCorrupted(this.id, [], this.suspect.p2pBytes);
    this.suspect = undefined;
  }
}
