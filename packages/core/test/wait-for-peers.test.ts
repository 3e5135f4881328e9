import { describe, expect, it } from 'vitest';
import { rendezvousRank, segmentKey, ShoalEngine } from '../src/index.js';
import type { SwarmDirectory } from '../src/io/interfaces.js';
import { Harness } from './engine-harness.js';

describe('joining a swarm', () => {
  it('before the join nothing waits; right after it, non-urgent segments wait for the peers still connecting', async () => {
    const h = new Harness();
    const seeder = h.viewer('seeder');
    await h.clock.advance(50);
    await Promise.all([h.load(seeder, 0), h.load(seeder, 1), h.clock.advance(1000)]);
    const late = h.unjoinedViewer('late', { peerWarmupMs: 3000 });
    // The adapter joins at the first frame: what startup needs comes over HTTP at once.
    const beforeJoin = h.load(late, 0);
    await h.clock.advance(1000);
    const startup = await beforeJoin;
    expect(startup.source).toBe('http');
    expect(startup.requestedAt).toBe(startup.transferStartedAt);
    late.start('swarm');
    const served = h.origin.servedBytes;
    const afterJoin = h.load(late, 1);
    await h.clock.advance(2000);
    expect((await afterJoin).source).toBe('p2p');
    expect(h.origin.servedBytes).toBe(served);
  });

  it("a segment asked for just before the join waits for the peers the join brings, and once one has it, gets a download's time", async () => {
    const h = new Harness();
    // A slow uploader: its 100 kB take longer than the wait alone allows at 2 s of buffer.
    const seeder = h.viewer('seeder', { uploadBytesPerSecond: 200_000 });
    await h.clock.advance(50);
    await Promise.all([h.load(seeder, 0), h.load(seeder, 1), h.clock.advance(1000)]);
    const late = h.unjoinedViewer('late', { peerWarmupMs: 3000 });
    h.buffers.set('late', 2);
    const first = h.load(late, 0);
    await h.clock.advance(1000);
    expect((await first).source).toBe('http');
    // The adapter says the join is moments away (the first fragment is buffered), then joins.
    late.expectSwarm();
    const served = h.origin.servedBytes;
    const next = h.load(late, 1);
    await h.clock.advance(20);
    late.start('swarm');
    await h.clock.advance(3000);
    const result = await next;
    expect(result.source).toBe('p2p');
    expect(result.endedAt - result.requestedAt).toBeGreaterThan(250); // past the wait's own deadline (~150 ms)
    expect(h.origin.servedBytes).toBe(served);
  });

  it('does not hold anything once the tracker says nobody else is there', async () => {
    const h = new Harness();
    const alone = h.unjoinedViewer('alone', { peerWarmupMs: 3000 });
    alone.start('swarm');
    const started = h.clock.now();
    const load = h.load(alone, 0);
    await h.clock.advance(1000);
    const result = await load;
    expect(result.source).toBe('http');
    expect(result.requestedAt - started).toBeLessThan(10);
  });

  it('asks the tracker for more peers while it knows of viewers we are not connected to', async () => {
    const h = new Harness();
    let others = 6;
    const asked: number[] = [];
    const engine = new ShoalEngine(
      {
        clock: h.clock,
        http: h.origin.client(),
        peerId: 'me',
        playhead: { bufferedAheadS: () => 10, positionS: () => 0, playbackRate: () => 1 },
        directory: { join: () => {}, requestMorePeers: (count) => asked.push(count ?? -1), othersInSwarm: () => others, leave: () => {} },
      },
      { maxPeers: 12 },
    );
    engine.start('swarm');
    await h.clock.advance(6000);
    expect(asked).toEqual([6]); // as many offers as viewers are missing
    // Nobody came of it: the next asks wait 10 s, 20 s, 40 s, then every 80 s.
    await h.clock.advance(10_000);
    expect(asked).toEqual([6, 6]);
    await h.clock.advance(18_000);
    expect(asked).toEqual([6, 6]);
    await h.clock.advance(1000);
    expect(asked).toEqual([6, 6, 6]);
    await h.clock.advance(40_000 + 80_000 + 80_000);
    expect(asked).toHaveLength(6);
    others = 0; // everybody else left: nothing to ask for
    await h.clock.advance(200_000);
    expect(asked).toHaveLength(6);
    engine.destroy();
  });

  it('stops waiting as soon as the tracker answers that nobody else is there', async () => {
    const h = new Harness();
    let others: number | undefined = undefined; // the tracker has not answered yet
    const directory: SwarmDirectory = { join: () => {}, requestMorePeers: () => {}, othersInSwarm: () => others, leave: () => {} };
    const engine = new ShoalEngine(
      {
        clock: h.clock,
        http: h.origin.client(),
        peerId: 'first',
        directory,
        playhead: { bufferedAheadS: () => 20, positionS: () => 0, playbackRate: () => 1 },
      },
      { peerWarmupMs: 3000 },
    );
    engine.start('swarm');
    const load = h.load(engine, 0);
    await h.clock.advance(400);
    others = 0;
    await h.clock.advance(2000);
    const result = await load;
    expect(result.source).toBe('http');
    expect(result.httpReason).toBe('replan');
    // Waited for the answer, not for the warm-up to run out.
    expect(result.transferStartedAt - result.requestedAt).toBeLessThan(1000);
    engine.destroy();
  });
});

describe('live edge waits', () => {
  it('fetches a live segment at once when the viewer ranked to fetch it first leaves during the wait', async () => {
    const h = new Harness();
    const viewers = new Map(['a', 'b'].map((id) => [id, h.viewer(id)]));
    await h.clock.advance(50);
    await Promise.all([...viewers.values()].map((v) => h.load(v, 0, true)).map(async (p) => (await h.clock.advance(3000), p)));
    const [first, second] = rendezvousRank(segmentKey({ track: 0, seq: 1 }), ['a', 'b']);
    const waiter = viewers.get(second!)!;
    const served = h.origin.requests.length;
    const load = h.load(waiter, 1, true);
    await h.clock.advance(1000);
    expect(h.origin.requests.length).toBe(served); // waits for the first-ranked viewer
    viewers.get(first!)!.destroy();
    const leftAt = h.clock.now();
    await h.clock.advance(5000);
    const result = await load;
    expect(result.source).toBe('http');
    expect(result.httpReason).toBe('replan');
    expect(result.transferStartedAt - leftAt).toBeLessThan(500);
  });
});
