// The Shoal facade on the fake clock: when it joins the swarm, what it reports about integrity,
// its stats ticks, and what destroy() leaves behind. A stub hls.js emitter and media element
// stand in for the player; time, HTTP and the swarm hash come through the facade's deps.
import { describe, expect, it } from 'vitest';
import type { IntegrityEvent, SegmentManifest } from '@shoal/core';
import { FakeClock, FakeOrigin } from '@shoal/core/sim';
import { REQUIRED_MANIFEST_RETRIES, REQUIRED_MANIFEST_RETRY_MS } from '@shoal/core';
import { JOIN_IDLE_MS } from '@shoal/core';
import type { ShoalOptions } from '@shoal/core';
import { Shoal } from '../src/shoal.js';
import { StubHls, StubMedia } from './stub-player.js';

const MASTER = 'http://origin.test/show/master.m3u8?token=t1';
const MANIFEST = 'http://origin.test/show/shoal-manifest.json?token=t1';
const MANIFEST_JSON: SegmentManifest = {
  format: 'shoal-segment-hashes',
  version: 1,
  algorithm: 'SHA-256',
  live: false,
  renditions: [{ playlist: 'v0/index.m3u8', segments: [{ uri: 'seg_0.m4s', seq: 0, size: 4, sha256: '0'.repeat(64) }] }],
};

/** A facade on the fake clock and an in-memory origin; `joins` lists the swarm keys it hashed (each join starts with one). */
function setup(options: ShoalOptions = {}) {
  const clock = new FakeClock();
  const origin = new FakeOrigin(clock, 20);
  const joins: string[] = [];
  /** Every URL asked for, answered or not (the origin lists only what it served). */
  const asked: string[] = [];
  const shoal = new Shoal(
    { p2p: false, ...options },
    {
      clock,
      http: () => ({ get: (request) => (asked.push(request.url), origin.client().get(request)) }),
      swarmInfoHash: async (key) => {
        joins.push(key);
        return `swarm-of-${key}`;
      },
    },
  );
  const hls = new StubHls(shoal.hlsConfig());
  const media = new StubMedia();
  const warnings: string[] = [];
  const integrity: IntegrityEvent['type'][] = [];
  shoal.on('warning', (w) => warnings.push(w.message));
  shoal.on('integrity', (e) => integrity.push(e.type));
  const publishManifest = () => origin.files.set(MANIFEST, new TextEncoder().encode(JSON.stringify(MANIFEST_JSON)));
  /** Attach, hls.js's startup, then the first frame (which joins). */
  const playFromStart = () => {
    shoal.attach(hls.asHls);
    hls.start(MASTER, media);
    media.play();
  };
  return { clock, origin, asked, shoal, hls, media, joins, warnings, integrity, publishManifest, playFromStart };
}

describe('Shoal facade: joining the swarm', () => {
  it('joins at the first frame, never during startup, with the manifest URL without its query as the swarm key', async () => {
    const { clock, shoal, hls, media, joins } = setup();
    shoal.attach(hls.asHls);
    media.paused = false; // play() was asked for: startup under way
    media.ranges = [[0, 4]];
    hls.start(MASTER, media);
    await clock.advance(20 * JOIN_IDLE_MS);
    expect(joins).toEqual([]);
    expect(shoal.stats().swarm).toBeUndefined();

    media.play();
    await clock.advance(0);
    expect(joins).toEqual(['http://origin.test/show/master.m3u8']);
    expect(shoal.stats().swarm).toBe('swarm-of-http://origin.test/show/master.m3u8');
    shoal.destroy();
  });

  it('without a frame (autoplay blocked) joins once the paused player holds media and has loaded nothing for JOIN_IDLE_MS', async () => {
    const { clock, shoal, hls, media, joins } = setup({ swarmId: 'show-1' });
    shoal.attach(hls.asHls);
    media.ranges = [[0, 8]];
    hls.start(MASTER, media);
    await clock.advance(JOIN_IDLE_MS - 1);
    expect(joins).toEqual([]);
    await clock.advance(1);
    expect(joins).toEqual(['show-1']); // the swarmId option is the key when given
    // The first frame later on does not join a second time.
    media.play();
    await clock.advance(5 * JOIN_IDLE_MS);
    expect(joins).toEqual(['show-1']);
    shoal.destroy();
  });

  it('a paused player with nothing buffered never joins by the fallback', async () => {
    const { clock, shoal, hls, media, joins } = setup();
    shoal.attach(hls.asHls);
    hls.start(MASTER, media);
    await clock.advance(30 * JOIN_IDLE_MS);
    expect(joins).toEqual([]);
    shoal.destroy();
  });

  it('a player built without hlsConfig() is warned about and never joins', async () => {
    const { clock, shoal, media, joins, warnings } = setup();
    const foreign = new StubHls({});
    shoal.attach(foreign.asHls);
    foreign.start(MASTER, media);
    media.play();
    await clock.advance(5 * JOIN_IDLE_MS);
    expect(joins).toEqual([]);
    expect(warnings.join('\n')).toContain('new Hls(shoal.hlsConfig(');
    shoal.destroy();
  });
});

describe('Shoal facade: integrity states', () => {
  it("'auto' with a manifest next to the master playlist: pending until it loads, then checking", async () => {
    const { clock, origin, shoal, playFromStart, integrity, warnings, publishManifest } = setup();
    publishManifest();
    expect(shoal.stats().integrity).toBe('pending');
    playFromStart();
    await clock.advance(0);
    expect(shoal.stats().integrity).toBe('pending'); // the request is on its way
    await clock.advance(100);
    expect(shoal.stats().integrity).toBe('checking');
    expect(integrity).toEqual(['manifest-loaded']);
    expect(origin.requests.map((r) => r.url)).toEqual([MANIFEST]); // the master's query kept
    expect(warnings).toEqual([]);
    shoal.destroy();
  });

  it("'auto' without a manifest: unchecked, and a warning that peer bytes are not verified", async () => {
    const { clock, shoal, playFromStart, integrity, warnings } = setup();
    playFromStart();
    await clock.advance(100);
    expect(shoal.stats().integrity).toBe('unchecked');
    expect(integrity).toEqual(['manifest-missing']);
    expect(warnings).toEqual([`no hash manifest at ${MANIFEST} (HTTP 404): bytes from peers are not verified`]);
    shoal.destroy();
  });

  it("'required' without a manifest: HTTP only (said once), asked for again every 10 s, checking once it appears", async () => {
    const { clock, origin, asked, shoal, playFromStart, warnings, publishManifest } = setup({ integrity: 'required' });
    playFromStart();
    await clock.advance(100);
    expect(shoal.stats().integrity).toBe('http-only');
    expect(warnings).toEqual([
      `integrity is "required" and no usable hash manifest is at ${MANIFEST}: peers are off, every segment comes over HTTP`,
    ]);
    await clock.advance(REQUIRED_MANIFEST_RETRY_MS);
    expect(asked).toEqual([MANIFEST, MANIFEST]); // the retry asked the origin again
    publishManifest();
    await clock.advance(REQUIRED_MANIFEST_RETRY_MS);
    expect(shoal.stats().integrity).toBe('checking');
    expect(origin.requests.map((r) => r.url)).toEqual([MANIFEST]);
    expect(warnings).toHaveLength(1);
    shoal.destroy();
  });

  it("'required': gives up after REQUIRED_MANIFEST_RETRIES retries and stays HTTP only", async () => {
    const { clock, asked, shoal, playFromStart, warnings } = setup({ integrity: 'required' });
    playFromStart();
    await clock.advance(100 + (REQUIRED_MANIFEST_RETRIES + 3) * REQUIRED_MANIFEST_RETRY_MS);
    expect(asked).toHaveLength(1 + REQUIRED_MANIFEST_RETRIES);
    expect(warnings).toHaveLength(1);
    expect(shoal.stats().integrity).toBe('http-only');
    shoal.destroy();
  });

  it("'off': never asks for a manifest", async () => {
    const { clock, origin, shoal, playFromStart, integrity } = setup({ integrity: 'off' });
    playFromStart();
    await clock.advance(5000);
    expect(shoal.stats().integrity).toBe('off');
    expect(integrity).toEqual([]);
    expect(origin.requests).toEqual([]);
    shoal.destroy();
  });
});

describe('Shoal facade: stats and destroy', () => {
  it('emits stats every second on its clock; startupMs is attach to first frame', async () => {
    const { clock, shoal, hls, media } = setup();
    const ticks: Array<number | undefined> = [];
    shoal.on('stats', (s) => ticks.push(s.startupMs));
    shoal.attach(hls.asHls);
    hls.start(MASTER, media);
    await clock.advance(700);
    media.play();
    await clock.advance(2300);
    expect(ticks).toEqual([700, 700, 700]);
    expect(shoal.stats().playingMs).toBe(2300);
    shoal.destroy();
  });

  it("destroy() stops everything on the clock: stats ticks, the idle-join watch, the engine's timers", async () => {
    const { clock, shoal, hls, media } = setup({ integrity: 'required' });
    let ticks = 0;
    shoal.on('stats', () => ticks++);
    shoal.attach(hls.asHls);
    media.ranges = [[0, 8]];
    hls.start(MASTER, media);
    await clock.advance(JOIN_IDLE_MS + 100); // joined; the manifest retry is scheduled
    expect(clock.pendingTimers).toBeGreaterThan(0);
    hls.fire('DESTROYING'); // hls.destroy() takes Shoal down with it
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(60_000);
    expect(ticks).toBe(1);
  });

  it('destroyed while the join is under way: never joins and leaves no timer', async () => {
    const { clock, shoal, hls, media } = setup();
    shoal.attach(hls.asHls);
    hls.start(MASTER, media);
    media.play(); // the join starts: the swarm hash is being computed
    shoal.destroy();
    await clock.advance(10_000);
    expect(shoal.stats().swarm).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });
});
