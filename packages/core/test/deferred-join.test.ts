import { describe, expect, it } from 'vitest';
import { HEALTH_BUDGETS, ShoalEngine, type SwarmDirectory } from '../src/index.js';
import { Harness } from './engine-harness.js';

/** An engine whose directory records when it joined, on a player whose buffer the test sets. */
function viewer(h: Harness) {
  const player = { bufferedS: 1 };
  const joins: number[] = [];
  const directory: SwarmDirectory = {
    join: () => void joins.push(h.clock.now()),
    requestMorePeers: () => {},
    othersInSwarm: () => undefined,
    leave: () => {},
  };
  const engine = new ShoalEngine({
    clock: h.clock,
    http: h.origin.client(),
    peerId: 'me',
    directory,
    playhead: { bufferedAheadS: () => player.bufferedS, positionS: () => 0, playbackRate: () => 1 },
  });
  return { engine, player, joins };
}

describe('the join on a busy device', () => {
  it('joins at once on a healthy device, whatever the buffer', () => {
    const h = new Harness();
    const { engine, joins } = viewer(h);
    engine.start('swarm');
    expect(joins).toEqual([0]);
    engine.destroy();
  });

  it('waits on a struggling device until the buffer holds joinBufferS, and nothing waits for peers meanwhile', async () => {
    const h = new Harness();
    const { engine, player, joins } = viewer(h);
    engine.watchDevice();
    h.clock.timerLatenessMs = 600;
    await h.clock.advance(6000);
    expect(engine.stats().health).toBe('struggling');
    engine.expectSwarm();
    engine.start('swarm');
    await h.clock.advance(5000);
    expect(joins).toEqual([]);
    // A segment while the join waits: straight to HTTP, no wait for the peers the join will bring.
    const result = await new Promise<{ source: string }>((resolve, reject) => {
      engine.load(
        { id: { track: 0, seq: 1 }, url: 'http://origin.test/seg-1.m4s', durationS: 2, startS: 2, live: false },
        {
          onProgress: () => {},
          onSuccess: resolve,
          onError: reject,
        },
      );
      void h.clock.advance(2000);
    });
    expect(result.source).toBe('http');
    expect(joins).toEqual([]);
    player.bufferedS = HEALTH_BUDGETS.struggling.joinBufferS;
    await h.clock.advance(600);
    expect(joins).toHaveLength(1);
    engine.destroy();
  });

  it('never joins while critical, and a destroyed engine stops looking', async () => {
    expect(HEALTH_BUDGETS.critical.joinBufferS).toBe(Infinity);
    const h = new Harness();
    const { engine, joins } = viewer(h);
    engine.watchDevice();
    h.clock.timerLatenessMs = 600;
    await h.clock.advance(6000);
    engine.start('swarm');
    engine.destroy();
    await h.clock.advance(60_000);
    expect(joins).toEqual([]);
  });
});
