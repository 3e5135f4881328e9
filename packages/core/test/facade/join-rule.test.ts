import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleJoin, JOIN_IDLE_MS, readyToJoin, type JoinSignals } from '../../src/facade/join-rule.js';

const idlePaused: JoinSignals = { firstFrame: false, paused: true, bufferedS: 8, loadsInFlight: 0, idleMs: JOIN_IDLE_MS };

describe('when the facade joins the swarm', () => {
  it('joins at the first frame, and without one only when the player is paused, holds media and sits idle', () => {
    expect(readyToJoin({ ...idlePaused, firstFrame: true, paused: false, bufferedS: 0, loadsInFlight: 2, idleMs: 0 })).toBe(true);
    expect(readyToJoin(idlePaused)).toBe(true); // autoplay blocked: the player filled its buffer and waits
    expect(readyToJoin({ ...idlePaused, paused: false })).toBe(false); // play was asked for: startup under way
    expect(readyToJoin({ ...idlePaused, loadsInFlight: 1 })).toBe(false); // still loading its fragments
    expect(readyToJoin({ ...idlePaused, idleMs: JOIN_IDLE_MS - 1 })).toBe(false); // between two fragments
    expect(readyToJoin({ ...idlePaused, bufferedS: 0 })).toBe(false); // nothing to play yet
  });

  describe('IdleJoin', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('never joins while a slow startup keeps loading (the old 1.5 s fallback did), and joins once a paused player goes idle', () => {
      const player = { firstFrame: false, paused: true, bufferedS: 2 };
      const join = vi.fn();
      const idle = new IdleJoin(() => player, join);
      // A slow device: fragments take 1.2 s each, back to back, and no frame for 10 s.
      for (let i = 0; i < 8; i++) {
        const ended = idle.loadStarted();
        vi.advanceTimersByTime(1200);
        ended();
        idle.fragmentBuffered();
      }
      expect(join).not.toHaveBeenCalled();
      // The buffer is full, nothing loads, the media element stays paused (autoplay blocked).
      vi.advanceTimersByTime(JOIN_IDLE_MS);
      expect(join).toHaveBeenCalledTimes(1);
    });

    it('leaves the join to the first frame when playback starts, and to nobody while play is pending', () => {
      const player = { firstFrame: false, paused: false, bufferedS: 4 };
      const join = vi.fn();
      const idle = new IdleJoin(() => player, join);
      idle.loadStarted()();
      idle.fragmentBuffered();
      vi.advanceTimersByTime(20 * JOIN_IDLE_MS);
      expect(join).not.toHaveBeenCalled();
      // The first frame: the facade joins on 'playing' and stops the watch.
      player.firstFrame = true;
      idle.stop();
      idle.fragmentBuffered();
      expect(vi.getTimerCount()).toBe(0); // nothing keeps looking once playback started
      expect(join).not.toHaveBeenCalled();
    });
  });
});
