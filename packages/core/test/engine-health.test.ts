import { describe, expect, it } from 'vitest';
import { rendezvousRank, segmentKey, RECOVERY_MS, ShoalEngine, type HealthChange, type SegmentResult } from '../src/index.js';
import { FakeOrigin } from '../src/sim/index.js';
import { Harness } from './engine-harness.js';

/** Records health changes with the time they came. */
function healthLog(h: Harness, engine: ShoalEngine): Array<HealthChange & { at: number }> {
  const log: Array<HealthChange & { at: number }> = [];
  engine.on('health-changed', (change) => log.push({ ...change, at: h.clock.now() }));
  return log;
}

/** Live segments that viewer `waiter` expects `fetcher` to fetch first (fetcher ranks above it). */
function seqsFetchedFirstBy(fetcher: string, waiter: string, count: number): number[] {
  const seqs: number[] = [];
  for (let seq = 1; seqs.length < count; seq++)
    if (rendezvousRank(segmentKey({ track: 0, seq }), [fetcher, waiter])[0] === fetcher) seqs.push(seq);
  return seqs;
}

describe('the engine on a slow device', () => {
  it('backs off when its timers fire late, shows it in stats() and an event, and comes back step by step', async () => {
    const h = new Harness();
    const me = h.viewer('me');
    const log = healthLog(h, me);
    h.clock.timerLatenessMs = 200; // the event loop is blocked 200 ms at a time
    await h.clock.advance(6000);
    expect(me.stats().health).toBe('struggling');
    // Worse at once as the window's mean lag climbs past each threshold.
    expect(log.map((c) => [c.level, c.reason])).toEqual([
      ['strained', 'event-loop-lag'],
      ['struggling', 'event-loop-lag'],
    ]);
    h.clock.timerLatenessMs = 0;
    await h.clock.advance(3 * RECOVERY_MS);
    expect(log.slice(2).map((c) => [c.level, c.reason])).toEqual([
      ['strained', 'recovered'],
      ['healthy', 'recovered'],
    ]);
    expect(log[3]!.at - log[2]!.at).toBeGreaterThanOrEqual(RECOVERY_MS);
    expect(me.stats().health).toBe('healthy');
  });

  it('watches the device with P2P off too, as the baseline a page with P2P is judged against', async () => {
    const h = new Harness();
    const alone = new ShoalEngine({
      clock: h.clock,
      http: h.origin.client(),
      peerId: 'alone',
      playhead: { bufferedAheadS: () => 10, positionS: () => 0, playbackRate: () => 1 },
    });
    const log = healthLog(h, alone);
    h.clock.timerLatenessMs = 200;
    await h.clock.advance(6000);
    expect(log).toEqual([]); // nothing watched before the first fragment is buffered
    alone.watchDevice();
    await h.clock.advance(6000);
    expect(alone.stats().health).toBe('struggling');
    expect(log.map((c) => [c.level, c.reason])).toEqual([['struggling', 'event-loop-lag']]);
    alone.destroy();
  });

  it('stays healthy, with no health events, when adaptToDevice is off', async () => {
    const h = new Harness();
    const me = h.viewer('me', { adaptToDevice: false });
    const log = healthLog(h, me);
    h.clock.timerLatenessMs = 1000;
    await h.clock.advance(10_000);
    expect(me.stats().health).toBe('healthy');
    expect(log).toEqual([]);
  });

  it('does not count the late timers of a hidden page (the browser clamps them) as strain', async () => {
    const h = new Harness();
    const me = h.viewer('me');
    me.reportDeviceSignal({ kind: 'page-hidden', hidden: true });
    h.clock.timerLatenessMs = 500; // a hidden page's timers run at most once a second
    await h.clock.advance(10_000);
    expect(me.stats().health).toBe('healthy');
    me.reportDeviceSignal({ kind: 'page-hidden', hidden: false });
    await h.clock.advance(6000);
    expect(me.stats().health).toBe('struggling');
  });

  it("counts the browser's long tasks and dropped frames, as signs to be careful only", async () => {
    const h = new Harness();
    const me = h.viewer('me');
    const log = healthLog(h, me);
    for (let i = 0; i < 4; i++) me.reportDeviceSignal({ kind: 'long-task', ms: 500 }); // 2 s of 5 s blocked
    await h.clock.advance(500);
    me.reportDeviceSignal({ kind: 'video-frames', total: 60, dropped: 30 });
    await h.clock.advance(500);
    // A busy device (frames drop with P2P off too): careful, but not out of P2P on these alone.
    expect(log.map((c) => [c.level, c.reason])).toEqual([['strained', 'long-tasks']]);
    expect(me.stats().health).toBe('strained');
  });

  it('waits for the live-edge fetcher when healthy, from struggling on only with a deep buffer, and never when critical', async () => {
    const h = new Harness(40);
    const fetcher = h.viewer('fetcher');
    const me = h.viewer('me');
    await h.clock.advance(50);
    await Promise.all([h.load(me, 39), h.clock.advance(1000)]); // measures HTTP on this device: ~250 ms
    const plans: string[] = [];
    me.on('segment-loaded', (e) => plans.push(e.plan));
    const [healthySeq, thinSeq, deepSeq, criticalSeq] = seqsFetchedFirstBy('fetcher', 'me', 4);
    // The fetcher plays the stream too (announces the segments around those), never getting these four.
    for (let seq = 0; seq < criticalSeq!; seq++)
      if (![healthySeq, thinSeq, deepSeq].includes(seq)) await Promise.all([h.load(fetcher, seq), h.clock.advance(300)]);
    h.buffers.set('me', 3); // healthy: 3 s - 0.25 s - 1.5 s reserve leaves time to wait
    await Promise.all([h.load(me, healthySeq!, true), h.clock.advance(3000)]);
    h.clock.timerLatenessMs = 200;
    await h.clock.advance(6000);
    expect(me.stats().health).toBe('struggling');
    // A wait rests on another device's speed: struggling keeps 3x the reserve for it (4.5 s beyond the HTTP time).
    h.buffers.set('me', 4);
    await Promise.all([h.load(me, thinSeq!, true), h.clock.advance(3000)]);
    h.buffers.set('me', 30);
    await Promise.all([h.load(me, deepSeq!, true), h.clock.advance(8000)]);
    expect(me.stats().health).toBe('struggling');
    h.clock.timerLatenessMs = 0;
    h.buffers.set('me', 8);
    await h.drain('me', 0); // deliveries do not keep up: critical
    expect(me.stats().health).toBe('critical');
    h.buffers.set('me', 30); // however deep the buffer
    await Promise.all([h.load(me, criticalSeq!, true), h.clock.advance(3000)]);
    expect(plans).toEqual(['wait', 'http', 'wait', 'http']);
    expect(fetcher.stats().uploadBytes).toBe(0);
  });

  it("the startup handover waits for the join's peers only with the buffer its level asks", async () => {
    const h = new Harness();
    const seeder = h.viewer('seeder');
    await h.clock.advance(50);
    await Promise.all([h.load(seeder, 0), h.load(seeder, 1), h.clock.advance(1000)]);
    const cases = [
      [0, 4, 'healthy', true],
      [100, 4, 'strained', false], // 1.5x the reserve: 4 s is too thin to wait
      [100, 10, 'strained', true], // careful, not out: a deep buffer still waits
      [400, 5, 'struggling', false], // 3x the reserve for a wait on a struggling device
      [400, 10, 'struggling', true],
    ] as const;
    for (const [lateness, bufferS, level, waits] of cases) {
      const id = `late-${lateness}-${bufferS}`;
      const late = h.unjoinedViewer(id, { peerWarmupMs: 3000 });
      h.buffers.set(id, bufferS);
      late.expectSwarm(); // the first fragment is buffered; the probe starts
      h.clock.timerLatenessMs = lateness;
      await h.clock.advance(2000); // the device shows whether it keeps up
      h.clock.timerLatenessMs = 0;
      const asked = h.clock.now();
      const next = h.load(late, 1);
      await h.clock.advance(10);
      late.start('swarm');
      await h.clock.advance(3000);
      const result = await next;
      expect(late.stats().health, id).toBe(level);
      expect(result.source, id).toBe(waits ? 'p2p' : 'http');
      if (!waits) expect(result.transferStartedAt - asked, id).toBe(0);
      late.destroy();
    }
  });

  it('keeps its open peers but takes no new ones from struggling on, and refuses uploads when critical', async () => {
    const h = new Harness();
    const others = ['p1', 'p2', 'p3', 'p4'].map((id) => h.viewer(id));
    const me = h.viewer('me');
    await h.clock.advance(100);
    await Promise.all([h.load(me, 0), h.clock.advance(1000)]);
    expect(me.stats().peers).toBe(4);
    const dropped: string[] = [];
    me.on('peer-disconnected', (e) => dropped.push(`${e.code}: ${e.detail}`));
    h.clock.timerLatenessMs = 600;
    await h.clock.advance(6000);
    expect(me.stats().health).toBe('struggling'); // late timers alone: at most struggling
    h.clock.timerLatenessMs = 0;
    h.buffers.set('me', 5);
    await h.drain('me', 0);
    expect(me.stats().health).toBe('critical');
    // Closing them would free little and building them again on recovery costs a lot.
    expect(me.stats().peers).toBe(4);
    expect(dropped).toEqual([]);
    // A new viewer finds no room: critical takes no new connections, and the others, struggling
    // too under the same late timers, hold 4 peers where their level allows 3.
    const late = h.viewer('p5');
    await Promise.all([h.load(late, 0), h.clock.advance(1000)]);
    expect(others.map((o) => o.stats().health)).toEqual(['struggling', 'struggling', 'struggling', 'struggling']);
    expect(me.stats().peers).toBe(4);
    expect(late.stats().peers).toBe(0);
    // Whoever is connected asks us for segment 0: refused, it comes over HTTP.
    const stillConnected = others[0]!;
    const served = h.origin.servedBytes;
    const load = h.load(stillConnected, 0);
    await h.clock.advance(3000);
    expect((await load).source).toBe('http');
    expect(me.stats().uploadBytes).toBe(0);
    expect(h.origin.servedBytes - served).toBe(h.segmentSize);
  });

  it('notices deliveries that overrun their plan, and plans HTTP fallbacks from what this device measured end to end', async () => {
    const h = new Harness();
    const slow = new FakeOrigin(h.clock, 3000, 100_000); // ~3 s from request to delivery
    for (const [url, bytes] of h.origin.files) slow.files.set(url, bytes);
    const me = h.viewer('me');
    (me as unknown as { fetchDeps: { http: unknown } }).fetchDeps.http = slow.client(); // this viewer's fetches only
    const log = healthLog(h, me);
    await Promise.all([h.load(me, 0), h.clock.advance(4000)]);
    expect(log).toMatchObject([{ level: 'strained', reason: 'late-delivery' }]);
    // A live segment another viewer fetches first, with 6 s of buffer: the wait ends when HTTP,
    // at the 3 s this device took end to end (not the ~1.1 s first-byte average), must start.
    const fetcher = h.viewer('fetcher');
    await h.clock.advance(50);
    await Promise.all([h.load(fetcher, 0, true), h.clock.advance(1000)]);
    h.buffers.set('me', 6);
    const [seq] = seqsFetchedFirstBy('fetcher', 'me', 1);
    h.origin.files.delete((await import('./engine-harness.js')).url(seq!)); // the fetcher never gets it
    const asked = h.clock.now();
    const load = h.load(me, seq!, true);
    await h.clock.advance(8000);
    const result = await load;
    expect(result.source).toBe('http');
    expect(result.transferStartedAt - asked).toBeLessThan(1600); // 6000 - ~3000 - 1500 safety
  });
});

describe('VOD prefetch from peers', () => {
  it('delivers what is within the window at once, and what is beyond it at twice playback speed', async () => {
    const h = new Harness(12);
    const seeder = h.viewer('seeder');
    const me = h.viewer('me', { prefetchWindowS: 4 });
    await h.clock.advance(50);
    for (let seq = 0; seq < 8; seq++) await Promise.all([h.load(seeder, seq), h.clock.advance(500)]);
    const starts: number[] = [];
    for (let seq = 0; seq < 8; seq++) {
      // As hls.js does: the next segment is asked for as soon as the last one arrived.
      let result: SegmentResult | undefined;
      void h.load(me, seq).then((r) => (result = r));
      for (let i = 0; i < 300 && !result; i++) await h.clock.advance(10);
      if (!result) throw new Error(`segment ${seq} did not arrive`);
      expect(result.source).toBe('p2p');
      starts.push(result.transferStartedAt);
    }
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Segments 0-2 start within 4 s of the playhead (0): one after another as fast as they come.
    // From segment 3 on (6 s ahead), each waits for its slot: 2 s of media per 1 s.
    expect(gaps.slice(0, 3).every((g) => g < 500)).toBe(true);
    expect(gaps.slice(3).every((g) => g >= 1000 && g < 1100)).toBe(true);
  });
});
