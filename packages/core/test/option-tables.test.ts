import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_CONFIG,
  ENGINE_OPTIONS,
  FETCH_HTTP_OPTIONS,
  createFetchHttpClient,
  ManifestVerifier,
  resolveEngineConfig,
  StatsReporter,
  TrackerDirectory,
  ShoalConfigError,
  STATS_REPORTER_OPTIONS,
  TRACKER_DIRECTORY_OPTIONS,
  VERIFIER_OPTIONS,
  defaultsOf,
} from '../src/index.js';
import { FakeClock, FakeOrigin } from '../src/sim/index.js';

const MiB = 1024 * 1024;

function thrown(f: () => unknown): ShoalConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalConfigError);
    return e as ShoalConfigError;
  }
  throw new Error('accepted');
}

describe('option tables', () => {
  it('keep the defaults the bench, the demo and pages rely on', () => {
    expect(DEFAULT_ENGINE_CONFIG).toEqual({
      maxPeers: 12,
      peerReceiveBudget: 20_000,
      storeBytes: 64 * MiB,
      liveStoreBehindS: 60,
      uploads: true,
      uploadBytesPerSecond: Number.POSITIVE_INFINITY,
      peerUploadBytesPerSecond: 4 * MiB,
      maxConcurrentUploads: 8,
      httpSafetyMs: 1500,
      urgentP2PTimeoutMs: 1000,
      maxWaitForPeersMs: 6000,
      peerWarmupMs: 3000,
      pieceBytes: 128 * 1024,
      maxPeersPerSegment: 3,
      peerStallMs: 1500,
      maxPeerFailures: 3,
      maxAvailability: 20_000,
      liveEdgeFetchers: 1,
      prefetchWindowS: 10,
      adaptToDevice: true,
    });
    expect(defaultsOf(VERIFIER_OPTIONS)).toEqual({
      mode: 'auto',
      fetchTimeoutMs: 10_000,
      minRefreshMs: 1000,
      staleRefreshMs: 30_000,
      liveWaitMs: 3000,
      absentRetryMs: 60_000,
      maxManifestBytes: 16 * MiB,
      maxEntries: 200_000,
    });
    expect(defaultsOf(TRACKER_DIRECTORY_OPTIONS)).toEqual({
      maxPeers: 12,
      maxConnecting: 6,
      setupGraceMs: 4000,
      connectTimeoutMs: 15_000,
      minReannounceMs: 5000,
    });
    expect(defaultsOf(STATS_REPORTER_OPTIONS)).toEqual({ intervalMs: 10_000 });
    expect(defaultsOf(FETCH_HTTP_OPTIONS)).toEqual({ idleTimeoutMs: 20_000 });
  });

  it('one limit, one row: the tracker directory bounds connections with the engine maxPeers row itself', () => {
    expect(TRACKER_DIRECTORY_OPTIONS.maxPeers).toBe(ENGINE_OPTIONS.maxPeers);
  });

  it('the verifier checks its settings as the engine does, naming the field', () => {
    const clock = new FakeClock();
    const http = new FakeOrigin(clock, 1, 1000).client();
    expect(thrown(() => new ManifestVerifier({ http, clock, fetchTimeoutMs: -5 })).message).toBe(
      'ManifestVerifier options.fetchTimeoutMs must be an integer from 100 to 600000, got -5',
    );
    expect(thrown(() => new ManifestVerifier({ http, clock, mode: 'off' as 'auto' })).field).toBe('ManifestVerifier options.mode');
    expect(new ManifestVerifier({ http, clock, mode: undefined }).mode).toBe('auto');
  });

  it('the adapters check theirs when they are made, before any connection or timer', () => {
    const peerId = 'aa'.repeat(20);
    expect(thrown(() => new TrackerDirectory({ trackerUrls: [], peerId, maxConnecting: 0 })).message).toBe(
      'TrackerDirectory options.maxConnecting must be an integer from 1 to 100, got 0',
    );
    expect(thrown(() => new TrackerDirectory({ trackerUrls: [], peerId, maxPeers: 101 })).field).toBe('TrackerDirectory options.maxPeers');
    const reporter = {
      url: 'https://t.test/stats',
      swarm: 's',
      peerId,
      stats: () => {
        throw new Error('not read');
      },
      playback: () => ({ stalls: 0, stallMs: 0, playingMs: 0 }),
    };
    expect(thrown(() => new StatsReporter({ ...reporter, intervalMs: 10 })).field).toBe('StatsReporter options.intervalMs');
    expect(thrown(() => createFetchHttpClient({ idleTimeoutMs: Number.NaN })).field).toBe('createFetchHttpClient options.idleTimeoutMs');
  });

  it('a field that is no option is never mistaken for a row, even one named like an Object method', () => {
    expect(resolveEngineConfig({ toString: 5, constructor: 'x', hasOwnProperty: null })).toEqual(DEFAULT_ENGINE_CONFIG);
  });
});
