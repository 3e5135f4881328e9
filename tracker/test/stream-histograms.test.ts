// Timing samples from viewers' reports into the /metrics histograms: what a report may carry,
// what of it counts, and label sets bounded by the number of streams.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { StreamHistograms } from '../src/http/stream-histograms.js';
import { MAX_SAMPLE_MS, MAX_SAMPLES_PER_KIND, parseSamples, plausibleSamples } from '../src/stats/samples.js';

const hex = (n: number) => n.toString(16).padStart(40, '0');

describe('report samples', () => {
  it('are refused beyond their bounds: count per kind, value range, unknown kinds', () => {
    expect(parseSamples({ startupMs: [800], httpMs: [120, 340], p2pMs: [] })).toEqual({
      ok: true,
      samples: { startupMs: [800], httpMs: [120, 340] },
    });
    expect(parseSamples({ httpMs: Array(MAX_SAMPLES_PER_KIND + 1).fill(1) })).toMatchObject({
      ok: false,
      error: 'samples.httpMs must be an array of at most 16 numbers',
    });
    for (const bad of [-1, MAX_SAMPLE_MS + 1, Number.NaN, '5', null]) expect(parseSamples({ stallMs: [bad] }).ok).toBe(false);
    expect(parseSamples({ cpuMs: [1] })).toMatchObject({
      ok: false,
      error: 'samples.cpuMs is not one of startupMs, stallMs, httpMs, p2pMs',
    });
    expect(parseSamples([1]).ok).toBe(false);
  });

  it('count only as far as the report makes them plausible', () => {
    const s = { startupMs: [900, 1000], stallMs: [500, 600, 700], httpMs: [100, 90_000] };
    // First report: one startup; two new stalls allow three samples (one began before); none longer than elapsed.
    expect(plausibleSamples(s, true, 2, 60_000)).toEqual({ startupMs: [900], stallMs: [500, 600, 700], httpMs: [100] });
    // Later reports: no startup; no new stall, at most the one that was under way.
    expect(plausibleSamples(s, false, 0, 60_000)).toEqual({ stallMs: [500], httpMs: [100] });
  });
});

describe('stream histograms', () => {
  const series = async (reg: Registry, name: string) =>
    (await reg.getMetricsAsJSON())
      .find((m) => m.name === name)!
      .values.filter((v) => (v as { metricName?: string }).metricName === `${name}_count`);

  it('give each stream its series up to the cap, the rest share "other", and free a slot when its viewers are gone', async () => {
    const reg = new Registry();
    const h = new StreamHistograms(reg, (id) => (id === hex(1) ? 'Main stage' : id.slice(0, 12)), 3);
    for (let i = 1; i <= 50; i++) h.observe(hex(i), { startupMs: [1000], httpMs: [200], p2pMs: [100, 300] });
    const startup = await series(reg, 'shoal_tracker_startup_seconds');
    expect(startup.map((v) => v.labels.stream)).toEqual(['Main stage', hex(2).slice(0, 12), hex(3).slice(0, 12), 'other']);
    expect(startup.at(-1)!.value).toBe(47);
    const delivery = await series(reg, 'shoal_tracker_segment_delivery_seconds');
    expect(delivery.length).toBe(8);
    expect(delivery.find((v) => v.labels.stream === 'Main stage' && v.labels.source === 'p2p')!.value).toBe(2);

    h.release((id) => id !== hex(2));
    h.observe(hex(60), { stallMs: [2500] });
    expect((await series(reg, 'shoal_tracker_startup_seconds')).map((v) => v.labels.swarm)).toEqual([hex(1), hex(3), 'other']);
    expect((await series(reg, 'shoal_tracker_stall_duration_seconds')).map((v) => v.labels.swarm)).toEqual([hex(60)]);
  });
});
