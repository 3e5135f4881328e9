/**
 * The HTTP-or-peers decision for one segment, as a pure function of what the engine knows at
 * that moment. Kept free of I/O so every branch is unit-tested on plain numbers.
 */

export interface PolicyConfig {
  /** Time kept in reserve, beyond the estimated HTTP download time, before a segment is needed. */
  readonly httpSafetyMs: number;
  /** How long to try peers even when the buffer is nearly empty (startup, seeking). */
  readonly urgentP2PTimeoutMs: number;
  /** Upper bound on waiting for another viewer to announce a segment. */
  readonly maxWaitForPeersMs: number;
}

export interface PolicyInput {
  /** Ms until the player needs this segment (buffered media ahead / playback rate). */
  readonly timeToNeedMs: number;
  /** Expected ms to fetch this segment over HTTP (first byte + transfer). */
  readonly httpEstimateMs: number;
  /** A connected peer holds the segment. */
  readonly peerHasIt: boolean;
  /** Another viewer is expected to fetch it from the origin and announce it soon (live edge). */
  readonly othersFetchFirst: boolean;
  /** We joined the swarm moments ago: peers that hold this segment may still be connecting. */
  readonly peersConnecting: boolean;
  /** httpSafetyMs times this is kept in reserve (DeviceHealth budget: 1 when healthy, Infinity: peers off). */
  readonly safetyFactor: number;
  /** The same for waits on peers that do not hold the segment yet (a deeper reserve on a struggling device). */
  readonly waitSafetyFactor: number;
  /** The device's health allows trying peers when the buffer leaves no slack (urgentP2PTimeoutMs). */
  readonly urgentPeers: boolean;
}

export type Plan =
  /** Fetch from the origin now. */
  | { readonly kind: 'http' }
  /** Download from peers; whatever is missing at giveUpMs comes over HTTP. */
  | { readonly kind: 'p2p'; readonly giveUpMs: number }
  /** Nobody has it yet: wait for an announcement until giveUpMs, then HTTP. */
  | { readonly kind: 'wait'; readonly giveUpMs: number };

export function planFetch(input: PolicyInput, config: PolicyConfig): Plan {
  const slackMs = slack(input, config.httpSafetyMs, input.safetyFactor);
  if (input.peerHasIt && input.urgentPeers) return { kind: 'p2p', giveUpMs: Math.max(slackMs, config.urgentP2PTimeoutMs) };
  // A device that is not keeping up gets no grace time: peers only within the slack the buffer leaves.
  if (input.peerHasIt && slackMs > 0) return { kind: 'p2p', giveUpMs: slackMs };
  const waitSlackMs = Math.min(slackMs, slack(input, config.httpSafetyMs, input.waitSafetyFactor));
  if ((input.othersFetchFirst || input.peersConnecting) && waitSlackMs > 0) {
    return { kind: 'wait', giveUpMs: Math.min(waitSlackMs, config.maxWaitForPeersMs) };
  }
  return { kind: 'http' };
}

/** Ms the buffer leaves beyond the HTTP time and factor x httpSafetyMs (-Infinity when the factor is). */
function slack(input: PolicyInput, httpSafetyMs: number, factor: number): number {
  return factor === Infinity ? -Infinity : input.timeToNeedMs - input.httpEstimateMs - httpSafetyMs * factor;
}

/**
 * Rendezvous ranking: every viewer computes the same order of candidates for a segment without
 * talking to anyone, so the swarm agrees on who fetches a new live segment from the origin. A
 * departed viewer simply drops out of the ranking.
 */
export function rendezvousRank(segmentKey: string, peerIds: readonly string[]): string[] {
  return [...peerIds]
    .map((id) => ({ id, score: fnv1a(`${segmentKey}|${id}`) }))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1))
    .map((entry) => entry.id);
}

/** 32-bit FNV-1a: fast, well spread, identical in every browser. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
