/** Bytes of one segment's buffer that a peer sent. */
export interface PeerSpan {
  readonly peerId: string;
  readonly start: number;
  end: number; // exclusive
}

/**
 * Who sent which bytes of a segment, so that when the whole fails verification the blame falls
 * only on the peers whose bytes differ from the origin's copy.
 */
export class PeerBytes {
  private spans: PeerSpan[] = [];

  record(peerId: string, start: number, length: number): void {
    const last = this.spans.at(-1);
    if (last && last.peerId === peerId && last.end === start) last.end += length;
    else this.spans.push({ peerId, start, end: start + length });
  }

  /** Every peer that contributed bytes. */
  peers(): string[] {
    return [...new Set(this.spans.map((s) => s.peerId))];
  }

  /** Takes the record out (for judging later) and starts afresh. */
  take(): readonly PeerSpan[] {
    const spans = this.spans;
    this.spans = [];
    return spans;
  }
}

/** The peers whose spans of `received` differ from `truth` (all of them when the sizes differ). */
export function guiltyPeers(spans: readonly PeerSpan[], received: Uint8Array, truth: Uint8Array): string[] {
  const differs = (start: number, end: number) => {
    for (let i = start; i < end; i++) if (truth[i] !== received[i]) return true;
    return false;
  };
  const guilty = new Set<string>();
  for (const { peerId, start, end } of spans) {
    if (truth.length !== received.length || differs(start, end)) guilty.add(peerId);
  }
  return [...guilty];
}
