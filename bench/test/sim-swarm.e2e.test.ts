/**
 * The simulator end to end: real engines, the tracker's real registry, the modelled network, on
 * simulated time. A small loopback swarm (the calibration setting) must behave as the real
 * bench's does, and a run must be the same for the same seed.
 */
import { describe, expect, it } from 'vitest';
import { NETWORKS } from '../src/sim/net-model.js';
import { runSim, type SimOptions } from '../src/sim/sim-run.js';

const options: SimOptions = {
  viewers: 16,
  durationS: 40,
  seed: 11,
  stream: { live: true, bitrate: 700_000, segmentS: 2, segments: 6, sizeSpread: 0.2 },
  network: NETWORKS.loopback,
  p2p: true,
  rampS: 10,
  churnPerMin: 0,
};

describe('swarm simulator', () => {
  it('a loopback live swarm offloads near its limit, fetching each segment about once, without stalls', async () => {
    const run = await runSim(options);
    const s = run.summary;
    expect(s.viewers).toBe(16);
    expect(s.offload).toBeGreaterThan(s.offloadLimit - 0.05);
    expect(s.originFetchesPerSegment).toBeLessThanOrEqual(1.5);
    expect(s.stallsPerViewerMinute).toBe(0);
    expect(s.liveLatencyMedianS).toBeGreaterThan(4);
    expect(s.liveLatencyMedianS).toBeLessThan(8);
  }, 120_000);

  it('is deterministic for a seed, and P2P off fetches every segment once per viewer', async () => {
    const short = { ...options, viewers: 6, durationS: 20 };
    const [a, b] = [await runSim(short), await runSim(short)];
    expect(a.summary).toEqual(b.summary);
    const off = await runSim({ ...short, p2p: false });
    expect(off.summary.offload).toBe(0);
    expect(off.summary.originFetchesPerSegment).toBeGreaterThan(4);
  }, 120_000);
});
