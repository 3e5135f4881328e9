import type { SegmentId } from '../protocol/index.js';
import type { Clock, TimerHandle } from '../io/interfaces.js';
import type { PeerPool } from './peer-pool.js';
import { rangesCover } from './ranges.js';

/** While waiting for peers, how often the reason to wait is looked at again. */
export const WAIT_RECHECK_MS = 250;

/**
 * A segment fetch's wait for a peer to announce the segment. A wait rests on a belief that can
 * turn false (the tracker answers that nobody else is here, the viewer expected to fetch a live
 * segment first leaves), so `recheck` runs now and then to make the decision again.
 */
export class PeerWait {
  private readonly stopListening: () => void;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    pool: PeerPool,
    id: SegmentId,
    peerArrived: () => void,
    private readonly recheck: (() => void) | undefined,
  ) {
    this.stopListening = pool.on('have', ({ peer, ranges }) => {
      if (rangesCover(ranges, id) && peer.has(id)) peerArrived();
    });
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.stopListening();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }

  private arm(): void {
    const recheck = this.recheck;
    if (!recheck || this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      recheck();
      this.arm();
    }, WAIT_RECHECK_MS);
  }
}
