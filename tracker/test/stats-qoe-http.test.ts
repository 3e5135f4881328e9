// Money saved and quality of experience over HTTP: /api/stats?range= answers the view, /metrics
// the per-stream and with/without-peers counters, with the egress price the operator gave.
import { describe, expect, it } from 'vitest';
import type { DashboardStats } from '../src/stats/dashboard-api.js';
import { binId, hexOf, TestClient, tracker } from './helpers.js';

describe('money saved and QoE over HTTP', () => {
  it('/api/stats?range= and /metrics show the money saved and QoE with and without peers', async () => {
    // Reports of a connection seconds old may carry this much only with a high plausibility bound.
    const t = await tracker({ egressCostPerGb: 0.4, egressCurrency: 'EUR', statsMaxBytesPerSecond: 1_000_000_000 });
    const swarm = binId();
    const [a, b] = [binId(), binId()];
    for (const peer of [a, b]) await (await TestClient.open(t.wsUrl)).join(swarm, peer);
    const post = (peerId: string, over: Record<string, unknown>) =>
      fetch(`${t.httpUrl}/stats`, {
        method: 'POST',
        body: JSON.stringify({
          v: 1,
          swarm: hexOf(swarm),
          peerId: hexOf(peerId),
          httpBytes: 0,
          p2pBytes: 0,
          uploadBytes: 0,
          rejectedBytes: 0,
          peers: 0,
          stalls: 0,
          stallMs: 0,
          playingMs: 0,
          final: false,
          label: 'Match',
          ...over,
        }),
      });
    // One viewer with peers (0.2 GB saved), one alone that stalled.
    expect((await post(a, { p2pBytes: 2e8, httpBytes: 1e8, peers: 1, playingMs: 8000, samples: { startupMs: [900] } })).status).toBe(204);
    expect((await post(b, { httpBytes: 1e7, playingMs: 6000, stalls: 1, stallMs: 2000, samples: { startupMs: [3000] } })).status).toBe(204);

    const api = (await (await fetch(`${t.httpUrl}/api/stats?range=1h&swarm=${hexOf(swarm)}`)).json()) as DashboardStats;
    expect(api.view.range).toBe('1h');
    expect(api.view.scope).toBe(hexOf(swarm));
    expect(api.view.cost).toEqual({ perGb: 0.4, currency: 'EUR' });
    expect(api.view.summary.moneySaved).toBeCloseTo(0.08);
    expect(api.view.summary.withPeers.startupP50Ms).toBeLessThanOrEqual(1000);
    expect(api.view.summary.withoutPeers?.rebufferingRatio).toBeCloseTo(0.25);
    expect(api.view.summary.withoutPeersShare).toBeCloseTo(8000 / 16_000);
    expect(api.swarms[0]!.range.bytesSaved).toBe(2e8);
    expect(api.view.points).toHaveLength(60);

    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
    const stream = `swarm="${hexOf(swarm)}",stream="Match"`;
    for (const line of [
      'shoal_tracker_egress_saved_total{currency="EUR"} 0.08',
      `shoal_tracker_stream_egress_saved_total{${stream}} 0.08`,
      `shoal_tracker_stream_bytes_saved_total{${stream}} 200000000`,
      `shoal_tracker_stream_stall_seconds_total{${stream}} 2`,
      `shoal_tracker_stream_playing_seconds_total{${stream}} 14`,
      'shoal_tracker_qoe_playing_seconds_total{peers="yes"} 8',
      'shoal_tracker_qoe_playing_seconds_total{peers="no"} 6',
      'shoal_tracker_qoe_stalls_total{peers="no"} 1',
    ])
      expect(metrics).toContain(line);
  });

  it('shows no money without a price', async () => {
    const t = await tracker();
    const api = (await (await fetch(`${t.httpUrl}/api/stats`)).json()) as DashboardStats;
    expect(api.view.range).toBe('15m');
    expect(api.view.cost).toBeNull();
    expect(api.view.summary.moneySaved).toBeNull();
    expect(await (await fetch(`${t.httpUrl}/metrics`)).text()).not.toContain('egress_saved_total');
  });
});
