import { describe, expect, it } from 'vitest';
import type { PageMetrics } from '../src/run/page-metrics.js';
import { runSwarm } from '../src/run/swarm-run.js';

/**
 * Honest LoaderStats: hls.js's ABR must choose the same renditions whether bytes come from the
 * origin or from peers (and time spent waiting for peers must not read as a slow network).
 */
function downSwitches(switches: readonly number[]): number {
  let count = 0;
  for (let i = 1; i < switches.length; i++) if (switches[i]! < switches[i - 1]!) count++;
  return count;
}

/** The level of the fragments loaded after hls.js settled (the startup ramp left out). */
function settledLevels(metrics: PageMetrics): Set<number> {
  return new Set(metrics.levels.slice(4));
}

describe('ABR with peers', () => {
  it('hls.js picks the same levels with P2P as without, and never switches down because of it', async () => {
    const options = { peers: 3, mode: 'vod' as const, durationS: 20, staggerS: 3 };
    const off = await runSwarm({ ...options, p2p: false });
    const on = await runSwarm({ ...options, p2p: true });
    const topLevel = Math.max(...off.pages.flatMap((p) => p.metrics.levels));
    for (const [index, page] of on.pages.entries()) {
      const without = off.pages[index]!.metrics;
      const withPeers = page.metrics;
      console.log(
        `page ${index}: levels off ${[...settledLevels(without)].join(',')} on ${[...settledLevels(withPeers)].join(',')}; ` +
          `estimate off ${Math.round((without.bandwidthEstimate ?? 0) / 1e6)} Mbit/s on ${Math.round((withPeers.bandwidthEstimate ?? 0) / 1e6)} Mbit/s; ` +
          `p2p ${withPeers.shoal!.p2pBytes} B`,
      );
      expect(settledLevels(withPeers), `page ${index} settled levels`).toEqual(settledLevels(without));
      expect(downSwitches(withPeers.levelSwitches), `page ${index} down-switches`).toBeLessThanOrEqual(downSwitches(without.levelSwitches));
      // Even the peers' share of the bytes keeps the estimate well above the top rendition.
      expect(withPeers.bandwidthEstimate ?? 0).toBeGreaterThan(2_000_000);
    }
    expect(settledLevels(on.pages[2]!.metrics)).toEqual(new Set([topLevel]));
    // The comparison means something only if peers carried a real share of the bytes (which page
    // seeds varies). The swarm's limit is 2/3; on a CI machine at 100% CPU the engine rightly backs
    // off (device health) and one run measured 47%, so the bar is half the limit, not a majority.
    const p2p = on.pages.reduce((sum, p) => sum + p.metrics.shoal!.p2pBytes, 0);
    const http = on.pages.reduce((sum, p) => sum + p.metrics.shoal!.httpBytes, 0);
    expect(p2p / (p2p + http)).toBeGreaterThan(1 / 3);
  });
});
