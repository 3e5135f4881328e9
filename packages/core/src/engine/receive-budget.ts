import { FrameType, type PeerMessage } from '../protocol/index.js';
import type { Clock } from '../io/interfaces.js';

/** Seconds of the rate a peer may spend at once (its initial availability comes in one burst). */
export const RECEIVE_BURST_SECONDS = 2;

/**
 * How much handling work one peer may cost us: a token bucket on the engine clock, refilled at
 * `perSecond` units and holding at most RECEIVE_BURST_SECONDS of them. A frame costs one unit
 * plus one per segment entry or range in it (see `frameCost`): what our handling of it scales with.
 */
export class ReceiveBudget {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
  ) {
    this.tokens = perSecond * RECEIVE_BURST_SECONDS;
    this.refilledAt = clock.now();
  }

  /** Takes `units` from the bucket; false (and nothing taken) when the peer has spent its budget. */
  spend(units: number): boolean {
    const now = this.clock.now();
    const capacity = this.perSecond * RECEIVE_BURST_SECONDS;
    this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) * this.perSecond) / 1000);
    this.refilledAt = now;
    if (units > this.tokens) return false;
    this.tokens -= units;
    return true;
  }
}

/** Budget units one frame costs: one, plus one per segment entry or range it lists. */
export function frameCost(message: PeerMessage): number {
  switch (message.type) {
    case FrameType.Have:
    case FrameType.Lost:
      return 1 + message.segments.length;
    case FrameType.HaveRanges:
      return 1 + message.ranges.length;
    default:
      return 1;
  }
}
