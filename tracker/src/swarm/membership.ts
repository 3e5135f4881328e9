/**
 * Who is in a swarm, as the message handler sees it. The handler always keeps its own peers in the
 * local Registry (peer_id bound to a connection, pending offers); a SwarmMembership answers the
 * questions that reach beyond this process: may this peer join (peer_id free, swarm not full),
 * how big is the swarm, and which peers get this announce's offers. (Answers need no question:
 * they go back the way their offer came.) The in-memory implementation here answers from the Registry alone (one tracker); the
 * Redis one (cluster/membership.ts) answers for the whole cluster.
 *
 * Results come through callbacks, not promises: the in-memory answer is synchronous and sits on
 * the hottest path of a single tracker, so it must not pay for a microtask per announce.
 */
import type { Member, Registry } from './registry.js';

/** A peer held by another tracker node; offers to it travel through that node. */
export interface RemotePeer {
  /** Binary peer_id. */
  readonly peerId: string;
  readonly node: string;
}

export type Target = Member | RemotePeer;

export function isLocal(t: Target): t is Member {
  return 'client' in t;
}

export interface SwarmView {
  readonly ok: true;
  readonly complete: number;
  readonly incomplete: number;
  /** Distinct peers other than the announcer, at most the number asked for. */
  readonly targets: readonly Target[];
}

export interface Refusal {
  readonly ok: false;
  readonly code: string;
  readonly reason: string;
}

export interface SwarmCounts {
  readonly complete: number;
  readonly incomplete: number;
}

export interface SwarmMembership {
  /**
   * `m` has just announced (joined when `isNew`; already in the local Registry either way).
   * Registers it where the membership lives and picks up to `n` peers for its offers; a refusal
   * means the handler must take the peer back out.
   */
  announce(m: Member, isNew: boolean, n: number, done: (r: SwarmView | Refusal) => void): void;
  /** A local member left (stopped, closed, timed out). */
  leave(m: Member): void;
  /** Swarm sizes for a scrape, in the order asked. */
  counts(infoHashes: readonly string[], done: (counts: readonly SwarmCounts[]) => void): void;
}

/** One tracker alone: everything is in the Registry. */
export class LocalMembership implements SwarmMembership {
  constructor(private readonly registry: Registry) {}

  announce(m: Member, _isNew: boolean, n: number, done: (r: SwarmView) => void): void {
    done(this.view(m, n));
  }

  /** The answer from local state only (also what a cluster node falls back on without Redis). */
  view(m: Member, n: number): SwarmView {
    const s = m.swarm;
    return { ok: true, complete: s.complete, incomplete: s.incomplete, targets: n > 0 ? this.registry.pick(s, n, m) : [] };
  }

  leave(): void {}

  counts(infoHashes: readonly string[], done: (counts: readonly SwarmCounts[]) => void): void {
    done(this.localCounts(infoHashes));
  }

  localCounts(infoHashes: readonly string[]): SwarmCounts[] {
    return infoHashes.map((ih) => {
      const s = this.registry.swarms.get(ih);
      return { complete: s?.complete ?? 0, incomplete: s?.incomplete ?? 0 };
    });
  }
}

/** Carries signalling to peers held by other nodes. Ids are binary, descriptions encoded JSON. */
export interface PeerRelay {
  /** The receiving node remembers this node as where the answer goes. */
  offer(node: string, infoHash: string, toPeerId: string, fromPeerId: string, offerId: string, descriptionJson: string): void;
  answer(node: string, infoHash: string, toPeerId: string, fromPeerId: string, offerId: string, descriptionJson: string): void;
}

/** A single tracker never has remote peers, so nothing is ever relayed. */
export const NO_RELAY: PeerRelay = { offer: () => undefined, answer: () => undefined };
