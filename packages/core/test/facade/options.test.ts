import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShoalConfigError } from '../../src/options/index.js';
import { resolveOptions, type ShoalOptions } from '../../src/facade/options.js';
import { conventionalManifestUrl } from '../../src/facade/integrity-gate.js';

const error = (options: unknown): string => {
  try {
    resolveOptions(options as ShoalOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalConfigError);
    // Every message starts with the field it is about, and .field names it for code.
    expect((e as Error).message.startsWith(`${(e as ShoalConfigError).field} `)).toBe(true);
    return (e as Error).message;
  }
  return 'accepted';
};

describe('Shoal options', () => {
  it('defaults: integrity auto, manifest next to the master playlist', () => {
    const resolved = resolveOptions(undefined);
    expect(resolved).toMatchObject({
      integrity: 'auto',
      manifestUrl: undefined,
      p2p: true,
      trackerUrls: [],
      swarmId: undefined,
      statsUrl: undefined,
      statsIntervalMs: 10_000,
      uploadOnCellular: false,
    });
    expect(resolved.rtcConfig.iceServers?.length).toBe(1);
    expect(resolved.engine.maxPeers).toBe(12);
    expect('maxPeers' in resolved).toBe(false); // engine fields go to the engine only
    expect(conventionalManifestUrl('https://cdn.test/live/show/master.m3u8?token=abc')).toBe(
      'https://cdn.test/live/show/shoal-manifest.json?token=abc',
    );
    expect(conventionalManifestUrl('::')).toBeUndefined();
  });

  it('a wrong option throws naming the field and the expected form', () => {
    expect(error({ integrity: 'yes' })).toBe('options.integrity must be one of "auto", "required", "off", got "yes"');
    expect(error({ manifestUrl: 'ftp://x/m.json' })).toBe('options.manifestUrl must be a http:// or https:// URL, got "ftp://x/m.json"');
    expect(error({ manifestUrl: 'https://x/m.json', integrity: 'off' })).toMatch(
      /^options\.manifestUrl is set but options\.integrity is "off"/,
    );
    expect(error({ trackerUrls: 'wss://t' })).toBe('options.trackerUrls must be an array of ws:// or wss:// URLs, got "wss://t"');
    expect(error({ trackerUrls: ['https://t'] })).toBe('options.trackerUrls[0] must be a ws:// or wss:// URL, got "https://t"');
    expect(error({ maxPeers: -1 })).toBe('options.maxPeers must be an integer from 0 to 100, got -1');
    expect(error({ maxPeers: '3' })).toBe('options.maxPeers must be an integer from 0 to 100, got "3"');
    expect(error({ p2p: 'false' })).toBe('options.p2p must be true or false, got "false"');
    expect(error({ rtcConfig: [] })).toBe('options.rtcConfig must be an RTCConfiguration object, got an array');
    expect(error({ streamLabel: 'a\nb' })).toBe(
      'options.streamLabel must be a string of 1 to 64 characters without control characters, got "a\\nb"',
    );
    expect(error({ streamLabel: 'Main stage' })).toBe('accepted');
    expect(error({ trackerURLs: ['wss://t'] })).toBe('options.trackerURLs is not a Shoal option (did you mean trackerUrls?)');
    expect(error({ bogus: 1 })).toBe('options.bogus is not a Shoal option');
    expect(error('fast')).toBe('options must be an object, got "fast"');
  });

  it('ShoalConfigError.field names the option at fault, for code that handles it', () => {
    const field = (options: unknown) => {
      try {
        resolveOptions(options as ShoalOptions);
      } catch (e) {
        return (e as ShoalConfigError).field;
      }
      return undefined;
    };
    expect(field({ trackerUrls: ['https://t'] })).toBe('options.trackerUrls[0]');
    expect(field({ maxPeers: 1000 })).toBe('options.maxPeers');
    expect(field({ bogus: 1 })).toBe('options.bogus');
    expect(field(7)).toBe('options');
    expect(field({ maxPeers: 3 })).toBeUndefined();
  });

  it('accepts a full valid configuration', () => {
    expect(
      error({
        trackerUrls: ['wss://tracker.test'],
        p2p: true,
        swarmId: 'show',
        statsUrl: 'https://tracker.test/stats',
        statsIntervalMs: 5000,
        rtcConfig: { iceServers: [] },
        uploadOnCellular: false,
        integrity: 'required',
        manifestUrl: 'https://cdn.test/show/shoal-manifest.json',
        maxPeers: 4,
        storeBytes: 8 * 1024 * 1024,
      }),
    ).toBe('accepted');
  });

  it('any input either resolves or throws a ShoalConfigError, never anything else', () => {
    const field = fc.constantFrom(
      'trackerUrls',
      'p2p',
      'swarmId',
      'statsUrl',
      'statsIntervalMs',
      'rtcConfig',
      'integrity',
      'manifestUrl',
      'maxPeers',
      'storeBytes',
      'uploadBytesPerSecond',
      'peerStallMs',
      'x',
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(field, fc.anything())), (input) => {
        try {
          resolveOptions(input as ShoalOptions);
        } catch (e) {
          if (!(e instanceof ShoalConfigError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
