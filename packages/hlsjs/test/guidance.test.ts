// Setup mistakes that used to pass silently: each is a coded 'warning' event and one console line.
import type Hls from 'hls.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackerUnreachableWarning, type ShoalWarning } from '@shoal/core';
import { Shoal } from '../src/shoal.js';

function collect(shoal: Shoal): ShoalWarning[] {
  const warnings: ShoalWarning[] = [];
  shoal.on('warning', (w) => warnings.push(w));
  return warnings;
}

const consoleWarn = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined);
afterEach(() => vi.restoreAllMocks());

describe('Shoal facade warnings', () => {
  it('attach() on a player not built with hlsConfig(): warns, says what to do, and stays out of the swarm', () => {
    const log = consoleWarn();
    const shoal = new Shoal({ p2p: false });
    const warnings = collect(shoal);
    const on = vi.fn();
    const player = { config: { fLoader: undefined }, on } as unknown as Hls;
    shoal.attach(player);
    expect(warnings.map((w) => w.code)).toEqual(['no-shoal-loader']);
    expect(warnings[0]!.message).toContain('new Hls(shoal.hlsConfig(');
    expect(on).not.toHaveBeenCalled(); // no MANIFEST_LOADING hook: never joins
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^\[shoal\] attach\(\): this player was not created with/));
    shoal.destroy();
  });

  it('a loader from another Shoal counts as foreign; one from this Shoal does not', () => {
    consoleWarn();
    const [a, b] = [new Shoal({ p2p: false }), new Shoal({ p2p: false })];
    const warnings = collect(a);
    const fromB = { config: b.hlsConfig(), on: vi.fn() } as unknown as Hls;
    a.attach(fromB);
    expect(warnings.map((w) => w.code)).toEqual(['no-shoal-loader']);
    a.destroy();
    b.destroy();
  });

  it("a subclass of this Shoal's loader (a page wrapping it to watch fragments) is no mistake", () => {
    consoleWarn();
    const shoal = new Shoal({ p2p: false });
    const warnings = collect(shoal);
    const Ours = shoal.hlsConfig().fLoader as unknown as new () => object;
    const on = vi.fn();
    class FakeHls {
      static Events = new Proxy({}, { get: (_target, name) => String(name) });
      config = { fLoader: class Watching extends Ours {} };
      on = on;
    }
    shoal.attach(new FakeHls() as unknown as Hls);
    expect(warnings).toEqual([]);
    expect(on).toHaveBeenCalled();
    shoal.destroy();
  });

  it('hlsConfig({ fLoader }) says the loader is replaced and where a custom one goes', () => {
    const log = consoleWarn();
    const shoal = new Shoal({ p2p: false });
    const warnings = collect(shoal);
    class MyLoader {}
    const config = shoal.hlsConfig({ fLoader: MyLoader as never, maxBufferLength: 20 });
    expect(config.fLoader).not.toBe(MyLoader);
    expect(config.maxBufferLength).toBe(20);
    expect(warnings.map((w) => w.code)).toEqual(['loader-replaced']);
    expect(warnings[0]!.message).toContain('config.loader');
    shoal.hlsConfig({ fLoader: MyLoader as never });
    expect(log).toHaveBeenCalledTimes(1); // console once per kind, the event every time
    expect(warnings).toHaveLength(2);
    shoal.hlsConfig({ maxBufferLength: 20 });
    expect(warnings).toHaveLength(2);
    shoal.destroy();
  });

  it('without WebRTC (Node has no RTCPeerConnection) says so, not "unsupported protocol"; stats().tracker is off', async () => {
    const log = consoleWarn();
    const shoal = new Shoal({ trackerUrls: ['ws://127.0.0.1:9'] });
    const warnings = collect(shoal); // listening right after construction is enough
    await Promise.resolve();
    expect(warnings.map((w) => w.code)).toEqual(['no-webrtc']);
    expect(warnings[0]!.message).toMatch(/WebRTC data channels .* not available/);
    expect(log).toHaveBeenCalledTimes(1);
    expect(shoal.stats().tracker).toBe('off');
    shoal.destroy();
  });

  it('no trackers, or P2P off: no WebRTC warning', async () => {
    const shoal = new Shoal({ trackerUrls: ['ws://127.0.0.1:9'], p2p: false });
    const warnings = collect(shoal);
    await Promise.resolve();
    expect(warnings).toEqual([]);
    shoal.destroy();
  });
});

describe('trackerUnreachableWarning', () => {
  it('names the tracker and the failure, and what to check', () => {
    const warning = trackerUnreachableWarning(['wss://t.example'], 'Error connecting to wss://t.example');
    expect(warning.code).toBe('tracker-unreachable');
    expect(warning.message).toBe(
      'the tracker (wss://t.example) cannot be reached (Error connecting to wss://t.example): no peers until it answers (retrying); segments come over HTTP. Check the URL, that the tracker runs, and its allowedOrigins.',
    );
  });
});
