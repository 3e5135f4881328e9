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

/** Up to n of the candidates, those not met recently first (otherwise in the order given). */
export function preferUnmet<T extends { readonly peerId: string }>(
  met: Introductions,
  candidates: readonly T[],
  n: number,
  now: number,
): T[] {
  const fresh = candidates.filter((c) => !met.isRecent(c.peerId, now));
  const recent = candidates.filter((c) => met.isRecent(c.peerId, now));
  return [...fresh, ...recent].slice(0, n);
}
