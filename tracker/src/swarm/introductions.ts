/**
 * Which peers one member was recently introduced to (an offer relayed either way). A member
 * that announces again wants peers it does not have yet: sending its offers to peers it was
 * just introduced to mostly makes duplicate connections, and a swarm then takes many rounds to
 * become fully connected. Bounded per member; entries expire, so a pair whose connection failed
 * is introduced again later.
 */
export const INTRODUCTION_MEMORY_MS = 30_000;
const MAX_REMEMBERED = 64;

export class Introductions {
  private readonly at = new Map<string, number>();
  private held: ReadonlySet<string> = new Set();

  /**
   * The peers the member said in its last announce it holds connections to (`held_peers`, at most
   * MAX_HELD_PEERS): its offers reach them last of all. Introductions alone cannot say it: they
   * expire, and a re-ask in a small swarm then went to a random member, most often one it held.
   */
  setHeld(peerIds: readonly string[]): void {
    this.held = new Set(peerIds);
  }

  /** Neither held nor introduced recently: worth an offer before anyone else. */
  isFresh(peerId: string, now: number): boolean {
    return !this.held.has(peerId) && !this.isRecent(peerId, now);
  }

  isHeld(peerId: string): boolean {
    return this.held.has(peerId);
  }

  record(peerId: string, now: number): void {
    this.at.delete(peerId);
    this.at.set(peerId, now);
    if (this.at.size > MAX_REMEMBERED) this.at.delete(this.at.keys().next().value!);
  }

  isRecent(peerId: string, now: number): boolean {
    const when = this.at.get(peerId);
    return when !== undefined && now - when < INTRODUCTION_MEMORY_MS;
  }
}

/** Up to n of the candidates: fresh ones first, then those met recently, then those held (otherwise in the order given). */
export function preferUnmet<T extends { readonly peerId: string }>(
  met: Introductions,
  candidates: readonly T[],
  n: number,
  now: number,
): T[] {
  const tier = (c: T) => (met.isHeld(c.peerId) ? 2 : met.isRecent(c.peerId, now) ? 1 : 0);
  return [0, 1, 2].flatMap((t) => candidates.filter((c) => tier(c) === t)).slice(0, n);
}
