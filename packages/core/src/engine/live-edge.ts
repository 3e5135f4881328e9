import { rendezvousRank } from './policy.js';

export interface EdgeNeighbour {
  readonly id: string;
  /** Ms the connection to it has been usable. */
  readonly readyForMs: number;
}

export interface EdgeConfig {
  /** How long a new connection takes to count (the join's warm-up). */
  readonly peerWarmupMs: number;
  /** How many of the top-ranked viewers fetch a new live segment from the origin. */
  readonly liveEdgeFetchers: number;
}

/**
 * Whether `selfId` ranks among the viewers that fetch a new live segment from the origin, given
 * the neighbours that play near it. Viewers agree on who fetches only when they rank the same
 * candidates, and a newcomer connected to a few of the swarm ranks itself first far too often
 * (live-8 bench: a new page fetched 5-7 segments from the origin that others fetched too). So a
 * connection counts only once it has been usable for the warm-up, on both ends alike; until a
 * newcomer (joined less than two warm-ups ago) has such a connection, it fetches the edge itself
 * only when no neighbour plays there at all. A viewer long in the swarm whose neighbours are all
 * new ranks alone: the newcomers wait for it.
 */
export function ranksAtEdge(
  segmentKey: string,
  selfId: string,
  near: readonly EdgeNeighbour[],
  joinedForMs: number,
  config: EdgeConfig,
): boolean {
  const settled = near.filter((p) => p.readyForMs >= config.peerWarmupMs).map((p) => p.id);
  const newcomer = joinedForMs < 2 * config.peerWarmupMs;
  if (newcomer && settled.length === 0 && near.length > 0) return false;
  return rendezvousRank(segmentKey, [selfId, ...settled]).indexOf(selfId) < config.liveEdgeFetchers;
}
