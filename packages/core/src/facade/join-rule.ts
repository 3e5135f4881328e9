/**
 * When the Shoal facade joins the swarm. Joining starts WebRTC setup (tracker socket, offers,
 * ICE, DTLS), which costs the page's main thread hundreds of ms on a slow device, so it must
 * never compete with startup:
 * - at the first frame (the usual case);
 * - without a frame (autoplay blocked, the page never called play()): once the player holds
 *   media, the media element is paused and hls.js has loaded nothing for JOIN_IDLE_MS. A player
 *   that is still starting (play requested, or fragments still coming in) is never interrupted;
 *   a fixed delay after the manifest request would land in the middle of a slow device's startup.
 */

import { systemClock } from '../adapters/system-clock.js';
import type { Clock, TimerHandle } from '../io/interfaces.js';

/** How long the player must be idle (no fragment loading) before a join without a first frame. */
export const JOIN_IDLE_MS = 1000;

export interface JoinSignals {
  /** The media element showed its first frame. */
  readonly firstFrame: boolean;
  /** The media element is paused (not asked to play, or autoplay was blocked). */
  readonly paused: boolean;
  /** Seconds of media buffered ahead of the playhead. */
  readonly bufferedS: number;
  /** Fragment loads in flight through Shoal. */
  readonly loadsInFlight: number;
  /** Ms since the last fragment load started or ended. */
  readonly idleMs: number;
}

export function readyToJoin(s: JoinSignals): boolean {
  if (s.firstFrame) return true;
  return s.paused && s.bufferedS > 0 && s.loadsInFlight === 0 && s.idleMs >= JOIN_IDLE_MS;
}

/**
 * Applies readyToJoin without a first frame: counts fragment loads in flight, and from each
 * buffered fragment on looks once every JOIN_IDLE_MS whether the player sits idle, until it joins.
 */
export class IdleJoin {
  private loadsInFlight = 0;
  private lastLoadActivityAt = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly player: () => Pick<JoinSignals, 'firstFrame' | 'paused' | 'bufferedS'>,
    private readonly join: () => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A fragment load began; call the returned function once when it ends (loaded, failed or aborted). */
  loadStarted(): () => void {
    let open = true;
    this.loadsInFlight++;
    this.lastLoadActivityAt = this.clock.now();
    return () => {
      if (!open) return;
      open = false;
      this.loadsInFlight--;
      this.lastLoadActivityAt = this.clock.now();
    };
  }

  /** A media fragment was buffered: from now on, look for an idle moment to join in. */
  fragmentBuffered(): void {
    this.stop();
    if (this.player().firstFrame) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      const signals = { ...this.player(), loadsInFlight: this.loadsInFlight, idleMs: this.clock.now() - this.lastLoadActivityAt };
      if (readyToJoin(signals)) this.join();
      else this.fragmentBuffered();
    }, JOIN_IDLE_MS);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
