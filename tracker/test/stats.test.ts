// Stats ingestion (POST /stats) and what it feeds: /api/stats, /metrics, /health, CORS.
import { describe, expect, it } from 'vitest';
import type { RunningTracker } from '../src/index.js';
import { binId, hexOf, sleep, TestClient, tracker } from './helpers.js';

type Report = Record<string, unknown>;

function report(swarm: string, peerId: string, over: Report = {}): Report {
  return {
    v: 1,
    swarm: hexOf(swarm),
    peerId: hexOf(peerId),
    httpBytes: 1000,
    p2pBytes: 3000,
    uploadBytes: 500,
    rejectedBytes: 0,
    peers: 2,
    stalls: 0,
    stallMs: 0,
    playingMs: 5000,
    final: false,
    ...over,
  };
}

async function post(
  t: RunningTracker,
  body: Report | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> | null }> {
  const res = await fetch(`${t.httpUrl}/stats`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function member(
  t: RunningTracker,
  headers: Record<string, string> = {},
): Promise<{ swarm: string; peerId: string; client: TestClient }> {
  const swarm = binId();
  const peerId = binId();
  const client = await TestClient.open(t.wsUrl, { headers });
  await client.join(swarm, peerId);
  return { swarm, peerId, client };
}

describe('POST /stats', () => {
  it('accepts text/plain (sendBeacon) and application/json, counting deltas once', async () => {
    const t = await tracker();
    const { swarm, peerId } = await member(t);
    expect((await post(t, report(swarm, peerId))).status).toBe(204);
    // Same cumulative numbers again: nothing new.
    await sleep(1000);
    expect((await post(t, report(swarm, peerId), { 'Content-Type': 'application/json' })).status).toBe(204);
    await sleep(1000);
    expect((await post(t, report(swarm, peerId, { httpBytes: 2000, p2pBytes: 9000, playingMs: 7000, final: true }))).status).toBe(204);
    const o = t.stats().overall;
    expect(o).toMatchObject({ httpBytes: 2000, p2pBytes: 9000, uploadBytes: 500, playingMs: 7000, reports: 3, bytesSaved: 9000 });
    expect(o.offload).toBeCloseTo(9000 / 11000);
    expect(t.stats().swarms[0]).toMatchObject({ swarm: hexOf(swarm), viewers: 1, httpBytes: 2000, p2pBytes: 9000 });
    // After the final report the session is closed.
    expect((await post(t, report(swarm, peerId, { httpBytes: 3000, final: true }))).body).toMatchObject({ code: 'session_ended' });
  });

  it('refuses reporters that are not members of that swarm here', async () => {
    const t = await tracker();
    const { swarm, peerId } = await member(t);
    expect((await post(t, report(binId(), peerId))).body).toMatchObject({ code: 'not_member' });
    expect((await post(t, report(swarm, binId()))).status).toBe(403);
  });

  it("refuses a report from another address than the peer's WebSocket", async () => {
    const t = await tracker({ trustProxy: true });
    const { swarm, peerId } = await member(t, { 'X-Forwarded-For': '203.0.113.7' });
    expect((await post(t, report(swarm, peerId), { 'X-Forwarded-For': '198.51.100.9' })).body).toMatchObject({ code: 'ip_mismatch' });
    expect((await post(t, report(swarm, peerId), { 'X-Forwarded-For': '203.0.113.7' })).status).toBe(204);
  });

  it('accepts the final report shortly after the peer left, not long after', async () => {
    const t = await tracker({ statsMemberGraceMs: 1000 });
    const { swarm, peerId, client } = await member(t);
    client.ws.close();
    await client.closed;
    await sleep(50);
    expect((await post(t, report(swarm, peerId, { final: true }))).status).toBe(204);
    const late = await member(t);
    late.client.ws.close();
    await late.client.closed;
    await sleep(1100);
    expect((await post(t, report(late.swarm, late.peerId, { final: true }))).status).toBe(403);
  });

  it('refuses counters that go backwards, implausible growth and reports too close together', async () => {
    const t = await tracker({ statsMaxBytesPerSecond: 1_000_000 });
    const { swarm, peerId } = await member(t);
    // Joined a moment ago: 10 s of slack at 1 MB/s allows ~10 MB, not 50 MB.
    expect((await post(t, report(swarm, peerId, { p2pBytes: 50_000_000 }))).body).toMatchObject({ code: 'implausible' });
    expect((await post(t, report(swarm, peerId, { playingMs: 60_000 }))).body).toMatchObject({ code: 'implausible' });
    expect((await post(t, report(swarm, peerId))).status).toBe(204);
    expect((await post(t, report(swarm, peerId, { httpBytes: 2000 }))).body).toMatchObject({ code: 'too_frequent' });
    await sleep(1000);
    expect((await post(t, report(swarm, peerId, { httpBytes: 10 }))).body).toMatchObject({
      code: 'counter_decreased',
      error: 'httpBytes went backwards',
    });
    expect(t.stats().overall).toMatchObject({ httpBytes: 1000, p2pBytes: 3000, reports: 1 });
  });

  it('validates the body: JSON, fields, size and content type', async () => {
    const t = await tracker();
    const { swarm, peerId } = await member(t);
    expect((await post(t, '{oops')).status).toBe(400);
    expect((await post(t, { ...report(swarm, peerId), v: 2 })).body).toMatchObject({ error: 'v must be 1' });
    expect((await post(t, report(swarm, peerId, { httpBytes: -5 }))).body).toMatchObject({
      error: 'httpBytes must be a non-negative integer',
    });
    expect((await post(t, report(swarm, peerId, { stalls: 1.5 }))).status).toBe(400);
    expect((await post(t, { ...report(swarm, peerId), swarm: 'XYZ' })).status).toBe(400);
    expect((await post(t, report(swarm, peerId, { pad: 'x'.repeat(5000) }))).status).toBe(413);
    expect((await post(t, report(swarm, peerId), { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect(t.stats().overall.reports).toBe(0);
  });

  it('answers CORS preflight and sets CORS headers', async () => {
    const t = await tracker();
    const pre = await fetch(`${t.httpUrl}/stats`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://site.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://site.example');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
    const { swarm, peerId } = await member(t);
    const res = await fetch(`${t.httpUrl}/stats`, {
      method: 'POST',
      body: JSON.stringify(report(swarm, peerId)),
      headers: { Origin: 'https://site.example', 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://site.example');
  });

  it('refuses reports from Origins outside the allow-list', async () => {
    const t = await tracker({ allowedOrigins: ['https://site.example'] });
    const res = await post(t, report(binId(), binId()), { Origin: 'https://other.example' });
    expect(res.status).toBe(403);
  });
});

describe('POST /stats from hostile reporters', () => {
  /** The loop on one connection: join under a new peer id, send a big final report, leave. */
  async function rejoinLoop(t: RunningTracker, client: TestClient, rounds: number, over: Report) {
    const swarm = binId();
    const codes: unknown[] = [];
    for (let i = 0; i < rounds; i++) {
      const peerId = binId();
      await client.join(swarm, peerId);
      const r = await post(t, report(swarm, peerId, { ...over, final: true }));
      codes.push(r.status === 204 ? 204 : r.body?.code);
      client.announce(swarm, peerId, { event: 'stopped' });
      await client.next((m) => m.info_hash === swarm);
    }
    return codes;
  }

  it('fake peer bytes from one connection rejoining under new peer ids stay within the rate over its life', async () => {
    const rate = 1_000_000;
    const t = await tracker({ statsMaxBytesPerSecond: rate });
    const started = Date.now();
    const client = await TestClient.open(t.wsUrl);
    // Each report is as big as a fresh session alone allows (10 s of slack at the rate).
    const codes = await rejoinLoop(t, client, 20, { p2pBytes: 9 * rate, httpBytes: 0 });
    const lifeSec = (Date.now() - started) / 1000;
    expect(codes).toContain('implausible_for_connection');
    expect(t.stats().overall.p2pBytes).toBeLessThanOrEqual(rate * (lifeSec + 1));
  });

  it("that loop cannot fill the session table: an honest viewer's report is still taken", async () => {
    const t = await tracker({ statsMaxSessions: 10 });
    const honest = await member(t);
    const attacker = await TestClient.open(t.wsUrl);
    const codes = await rejoinLoop(t, attacker, 25, { httpBytes: 10, p2pBytes: 0, uploadBytes: 0, playingMs: 0 });
    expect(codes.every((c) => c === 204)).toBe(true);
    expect((await post(t, report(honest.swarm, honest.peerId))).status).toBe(204);
  });
});

describe('stats API, metrics, health', () => {
  it('builds a bounded time series per interval and exposes Prometheus metrics', async () => {
    const t = await tracker({ statsIntervalMs: 100, statsHistory: 12 });
    const { swarm, peerId } = await member(t);
    expect((await post(t, report(swarm, peerId))).status).toBe(204);
    await sleep(1600);
    const api = (await (await fetch(`${t.httpUrl}/api/stats`)).json()) as ReturnType<RunningTracker['stats']>;
    expect(api.series.length).toBe(12);
    expect(api.series.at(-1)).toMatchObject({ viewers: 1, httpBytes: 1000, p2pBytes: 3000 });
    expect(api.swarms[0]!.series.length).toBe(2);
    expect(api.swarms[0]!.series.at(-1)).toMatchObject({ viewers: 1, p2pBytes: 3000 });
    expect(api.overall).toMatchObject({ viewers: 1, swarms: 1, httpBytes: 1000, p2pBytes: 3000, offload: 0.75 });

    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
    for (const line of [
      'shoal_tracker_connections 1',
      'shoal_tracker_swarms 1',
      'shoal_tracker_peers 1',
      'shoal_tracker_announces_total 1',
      'shoal_tracker_relays_total{kind="offer"} 0',
      'shoal_tracker_bytes_total{source="http"} 1000',
      'shoal_tracker_bytes_total{source="p2p"} 3000',
      'shoal_tracker_offload_ratio 0.75',
      'shoal_tracker_stats_reports_total{result="accepted"} 1',
    ]) {
      expect(metrics).toContain(line);
    }
    expect(metrics).toContain('shoal_tracker_process_resident_memory_bytes');

    const health = await (await fetch(`${t.httpUrl}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', connections: 1, swarms: 1, peers: 1 });
  });

  it("shows each stream's label in /api/stats and /metrics, sanitized and escaped", async () => {
    const t = await tracker();
    const { swarm, peerId } = await member(t);
    const label = 'Main "stage"\u0000\\ <script>alert(1)</script>';
    expect((await post(t, report(swarm, peerId, { label }))).status).toBe(204);
    expect(t.stats().swarms[0]).toMatchObject({ swarm: hexOf(swarm), label: 'Main "stage" \\ <script>alert(1)</script>' });
    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
    const labels = `swarm="${hexOf(swarm)}",stream="Main \\"stage\\" \\\\ <script>alert(1)</script>"`;
    expect(metrics).toContain(`shoal_tracker_stream_viewers{${labels}} 1`);
    expect(metrics).toContain(`shoal_tracker_stream_offload_ratio{${labels}} 0.75`);
    expect((await post(t, report(swarm, peerId, { label: 42 }))).body).toMatchObject({ error: 'label must be a string' });
  });

  it('feeds startup, stall and delivery histograms per stream from the samples of accepted reports only', async () => {
    const t = await tracker();
    const { swarm, peerId } = await member(t);
    const outsider = await member(t);
    const samples = { startupMs: [1200], stallMs: [700], httpMs: [300, 2500], p2pMs: [80] };
    expect((await post(t, report(swarm, peerId, { label: 'News', stalls: 1, stallMs: 700, samples }))).status).toBe(204);
    // Another swarm's member reporting for this swarm is refused, samples and all.
    expect((await post(t, report(swarm, outsider.peerId, { samples }))).status).toBe(403);
    expect((await post(t, report(swarm, peerId, { samples: { httpMs: Array(17).fill(1) } }))).status).toBe(400);
    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
    const s = `swarm="${hexOf(swarm)}",stream="News"`;
    for (const line of [
      `shoal_tracker_startup_seconds_count{${s}} 1`,
      `shoal_tracker_startup_seconds_bucket{le="2",${s}} 1`,
      `shoal_tracker_startup_seconds_bucket{le="1",${s}} 0`,
      `shoal_tracker_stall_duration_seconds_sum{${s}} 0.7`,
      `shoal_tracker_segment_delivery_seconds_count{${s},source="http"} 2`,
      `shoal_tracker_segment_delivery_seconds_count{${s},source="p2p"} 1`,
    ]) {
      expect(metrics).toContain(line);
    }
  });

  it('counts rejections by reason in /metrics', async () => {
    const t = await tracker();
    const a = await TestClient.open(t.wsUrl);
    a.send('not json');
    await a.next();
    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
    expect(metrics).toContain('shoal_tracker_rejections_total{reason="bad_json"} 1');
  });

  it('serves the dashboard, Chart.js and 404s', async () => {
    const t = await tracker();
    const html = await fetch(`${t.httpUrl}/`);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('/assets/chart.umd.js');
    const chart = await fetch(`${t.httpUrl}/assets/chart.umd.js`);
    expect(chart.status).toBe(200);
    expect((await chart.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${t.httpUrl}/dashboard.js`)).status).toBe(200);
    expect((await fetch(`${t.httpUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${t.httpUrl}/stats`)).status).toBe(405);
  });
});
