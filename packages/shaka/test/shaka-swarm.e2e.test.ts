// Shaka Player pages in Chromium with Shoal on the bench's origin and tracker: DASH VOD, DASH live,
// HLS VOD and live through Shaka. Every byte is counted once (by the SDK, as the origin served it),
// peers deliver a share, stalls stay as without P2P, and Shaka's ABR settles on the same levels.
import { describe, expect, it } from 'vitest';
import { runSwarm, type SwarmRunResult } from '../../../bench/src/run/swarm-run.js';

const sum = (run: SwarmRunResult, field: 'httpBytes' | 'p2pBytes') =>
  run.pages.reduce((total, p) => total + (p.metrics.shoal?.[field] ?? 0), 0);
const stalls = (run: SwarmRunResult) => run.pages.reduce((total, p) => total + p.metrics.waiting, 0);
/** The levels a page played once Shaka settled (its startup ramp left out). */
const settled = (run: SwarmRunResult, index: number) => new Set(run.pages[index]!.metrics.levels.slice(4));

function checkRun(run: SwarmRunResult): void {
  for (const page of run.pages) expect(page.metrics.fatalErrors, `page ${page.index} fatal errors`).toEqual([]);
  const http = sum(run, 'httpBytes');
  // Bytes counted once: the SDK's HTTP bytes are what the origin served for media segments; the
  // origin may be ahead by what a page had not read yet at the freeze (a segment per page, 2 s at <= 800 kbit/s).
  const served = run.origin!.byKind.segment.bytes;
  expect(http - served, 'SDK HTTP count ahead of the origin').toBeLessThanOrEqual(0.01 * served);
  expect(served - http, 'origin ahead of the SDK HTTP count').toBeLessThanOrEqual(0.01 * served + run.pages.length * 200_000);
}

describe('Shaka Player with Shoal', () => {
  it('DASH VOD: offload > 0, bytes counted once, no more stalls than without P2P, the same ABR levels', async () => {
    const options = { player: 'shaka' as const, peers: 3, mode: 'vod' as const, durationS: 20, staggerS: 3 };
    const off = await runSwarm({ ...options, p2p: false });
    const on = await runSwarm({ ...options, p2p: true });
    checkRun(on);
    const p2p = sum(on, 'p2pBytes');
    console.log(`DASH VOD: offload ${(p2p / (p2p + sum(on, 'httpBytes'))).toFixed(3)}, stalls on ${stalls(on)} off ${stalls(off)}`);
    expect(p2p).toBeGreaterThan(0);
    expect(stalls(on)).toBeLessThanOrEqual(stalls(off));
    for (const index of on.pages.keys()) expect(settled(on, index), `page ${index} levels`).toEqual(settled(off, index));
  });

  it('DASH live: peers deliver a share of the live window, no more stalls than without P2P', async () => {
    const options = { player: 'shaka' as const, peers: 3, mode: 'live' as const, durationS: 20, staggerS: 2 };
    const on = await runSwarm({ ...options, p2p: true });
    checkRun(on);
    expect(sum(on, 'p2pBytes')).toBeGreaterThan(0);
    expect(on.pages.every((p) => p.metrics.firstFrameMs !== null)).toBe(true);
    expect(stalls(on)).toBeLessThanOrEqual(on.pages.length);
  });

  // HLS: Shaka's parser fetches segments itself to probe the stream (closed captions: the sample's
  // multivariant playlist declares none) and plays those bytes without asking again; they go
  // through Shoal like every other media segment, or the SDK's HTTP count falls short of the origin's.
  it('HLS VOD through Shaka: offload > 0, bytes counted once, no more stalls than without P2P', async () => {
    const options = { player: 'shaka' as const, manifest: 'master.m3u8', peers: 3, mode: 'vod' as const, durationS: 20, staggerS: 3 };
    const off = await runSwarm({ ...options, p2p: false });
    const on = await runSwarm({ ...options, p2p: true });
    checkRun(off);
    checkRun(on);
    const p2p = sum(on, 'p2pBytes');
    console.log(`HLS VOD (Shaka): offload ${(p2p / (p2p + sum(on, 'httpBytes'))).toFixed(3)}, stalls on ${stalls(on)} off ${stalls(off)}`);
    expect(p2p).toBeGreaterThan(0);
    expect(stalls(on)).toBeLessThanOrEqual(stalls(off));
  });

  it('HLS live through Shaka: peers deliver a share, bytes counted once', async () => {
    const on = await runSwarm({ player: 'shaka', manifest: 'master.m3u8', peers: 3, mode: 'live', durationS: 20, staggerS: 2, p2p: true });
    checkRun(on);
    expect(sum(on, 'p2pBytes')).toBeGreaterThan(0);
    expect(on.pages.every((p) => p.metrics.firstFrameMs !== null)).toBe(true);
    expect(stalls(on)).toBeLessThanOrEqual(on.pages.length);
  });
});
