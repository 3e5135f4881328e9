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

/**
 * How many viewers of a swarm larger than one neighbourhood fetch each new live segment from the
 * origin at once, on average (times liveEdgeFetchers): with 2, no viewer at all is drawn for
 * e^-2 = 14% of segments, which the backups below then fetch a third of the wait later.
 */
const SWARM_EDGE_FETCHERS = 2;
/** Backups: up to this many times the fetchers' share of viewers (the fetchers not counted) fetch after BACKUP_WAIT_SHARE of their wait. */
const BACKUPS = 4;
const BACKUP_WAIT_SHARE = 1 / 3;

export interface EdgeRole {
  /** Fetch the segment from the origin at once. */
  readonly fetches: boolean;
  /** Share of the wait for peers this viewer gives the others before fetching itself (1: all of it). */
  readonly waitShare: number;
}

/**
 * Who fetches a new live segment from the origin. In a swarm that fits one neighbourhood (every
 * viewer can connect to every other: at most maxPeers + 1 members) viewers rank among their
 * neighbours (ranksAtEdge), as before. In a larger one that ranking would pick about one viewer
 * per neighbourhood, N / (maxPeers + 1) origin fetches per segment; there each viewer draws
 * instead, from a hash of the segment and its id that nobody needs to be told about, whether it
 * is one of ~2 edge fetchers among the `swarmSize` members the tracker counts, or one of ~6
 * backups that fetch after a third of their wait. Everyone else waits for peers within its
 * deadline, as before.
 */
export function edgeRole(
  segmentKey: string,
  selfId: string,
  near: readonly EdgeNeighbour[],
  joinedForMs: number,
  swarmSize: number | undefined,
  config: EdgeConfig & { readonly maxPeers: number },
): EdgeRole {
  if (swarmSize === undefined || swarmSize <= config.maxPeers + 1) {
    return { fetches: ranksAtEdge(segmentKey, selfId, near, joinedForMs, config), waitShare: 1 };
  }
  const draw = unitHash(`${segmentKey}|${selfId}`);
  const share = (SWARM_EDGE_FETCHERS * config.liveEdgeFetchers) / swarmSize;
  if (draw < share) return { fetches: true, waitShare: 0 };
  return { fetches: false, waitShare: draw < BACKUPS * share ? BACKUP_WAIT_SHARE : 1 };
}

/** A number in [0, 1) from a string, the same in every browser (FNV-1a, then a finaliser that spreads its low bits). */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
