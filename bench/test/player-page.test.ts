// The bench's player page against its contract: the metrics it starts with are exactly the
// fields of PlayerPageMetrics (the compiler checks the type side, this test the page side), and
// its scripts bundle for the browser.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundlePage } from '@shoal/test-kit';
import type { PlayerPageMetrics } from '../src/browser/page-contract.js';
import { emptyPlayerMetrics } from '../src/browser/player/metrics.js';

/**
 * Every field of the type, and when the page writes it: a field added to or removed from
 * PlayerPageMetrics fails to compile here until this list says when the page sets it.
 */
const FIELDS = {
  loadStartedAt: 'at-start',
  firstFrameMs: 'at-start',
  requestsBeforeFirstFrame: 'at-start',
  waiting: 'at-start',
  bufferStalledErrors: 'at-start',
  fatalErrors: 'at-start',
  errors: 'at-start',
  errorLog: 'at-start',
  fragBytes: 'at-start',
  fragCount: 'at-start',
  levels: 'at-start',
  levelSwitches: 'at-start',
  latencyS: 'at-start',
  warnings: 'at-start',
  healthLog: 'at-start',
  startupSteps: 'at-start',
  built: 'at-start',
  disconnects: 'at-start',
  segments: 'at-start',
  stallLog: 'at-start',
  integrity: 'at-start',
  shoal: 'at-start',
  bandwidthEstimate: 'when-sampled',
} as const satisfies Record<keyof PlayerPageMetrics, 'at-start' | 'when-sampled'>;

describe('bench player page', () => {
  it('starts with exactly the fields of PlayerPageMetrics that are there from the start', () => {
    const steps = { TRACKER_SOCKET: 12 };
    const built = { WebSocket: 1, RTCPeerConnection: 3, offers: 2, connected: 1 };
    const metrics = emptyPlayerMetrics(5, steps, built);
    const atStart = Object.entries(FIELDS)
      .filter(([, when]) => when === 'at-start')
      .map(([field]) => field);
    expect(Object.keys(metrics).sort()).toEqual(atStart.sort());
    expect(metrics.loadStartedAt).toBe(5);
    expect(metrics.startupSteps).toBe(steps); // the probe's record, filled on by the page
    expect(metrics.built).toBe(built); // the probe's counters, read live
  });

  it('bundles its two scripts for the browser, the SDK code it shares included', async () => {
    const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
    const probe = await bundlePage(here('../src/browser/player/startup-probe.ts'), { format: 'iife', name: 'startup-probe.js' });
    const player = await bundlePage(here('../src/browser/player/main.ts'), { format: 'iife', name: 'player.js' });
    expect(probe.js).toContain('TRACKER_SOCKET');
    expect(player.js).toContain('packages/core/src/facade/media-playhead.ts'); // bufferedAheadS: the SDK's own tolerance
    expect(player.js).toMatch(/sourceMappingURL=player\.js\.map\s*$/);
  });
});
