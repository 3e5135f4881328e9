// What a viewer sends with its stats reports: the stream label (option check, default) and timing samples.
import { describe, expect, it } from 'vitest';
import {
  checkStreamLabel,
  defaultStreamLabel,
  emptyStats,
  MAX_SAMPLES_PER_KIND,
  MAX_STREAM_LABEL_CHARS,
  SampleBuffer,
  StatsReporter,
} from '@shoal/core';

describe('stream label', () => {
  it("defaults to the manifest URL's path: no origin, query or fragment (tokens), the end kept when long", () => {
    expect(defaultStreamLabel('https://cdn.test/live/main%20stage/master.m3u8?token=secret#t=3')).toBe('/live/main stage/master.m3u8');
    const long = defaultStreamLabel(`https://cdn.test/${'a'.repeat(100)}/channel-7/index.m3u8`);
    expect([...long].length).toBe(MAX_STREAM_LABEL_CHARS);
    expect(long.startsWith('…')).toBe(true);
    expect(long.endsWith('/channel-7/index.m3u8')).toBe(true);
    expect(defaultStreamLabel('https://cdn.test/a%0Ab.m3u8')).toBe('/ab.m3u8');
  });

  it('accepts 1 to 64 printable characters only', () => {
    expect(checkStreamLabel('Main stage')).toBe('Main stage');
    expect(checkStreamLabel('é'.repeat(MAX_STREAM_LABEL_CHARS))).toBeDefined();
    for (const bad of ['', '  ', 'x'.repeat(MAX_STREAM_LABEL_CHARS + 1), 'a\nb', 'a\u0000', 5, null])
      expect(checkStreamLabel(bad)).toBeUndefined();
  });

  it('is sent with every report when set, and absent otherwise', () => {
    const options = {
      url: 'http://127.0.0.1:1/stats',
      swarm: 'a'.repeat(40),
      peerId: 'b'.repeat(40),
      stats: emptyStats,
      playback: () => ({ stalls: 0, stallMs: 0, playingMs: 0 }),
    };
    expect(new StatsReporter({ ...options, label: 'Main stage' }).report(false).label).toBe('Main stage');
    expect('label' in new StatsReporter(options).report(true)).toBe(false);
  });
});

describe('report samples', () => {
  it('keep the latest few of each kind between two reports, then start over', () => {
    const buffer = new SampleBuffer();
    for (let i = 0; i < 100; i++) buffer.add('httpMs', i);
    buffer.add('startupMs', 1234.6);
    buffer.add('stallMs', Number.NaN);
    buffer.add('p2pMs', 10 * 3_600_000);
    const options = {
      url: 'http://127.0.0.1:1/stats',
      swarm: 'a'.repeat(40),
      peerId: 'b'.repeat(40),
      stats: emptyStats,
      playback: () => ({ stalls: 0, stallMs: 0, playingMs: 0 }),
    };
    const reporter = new StatsReporter({ ...options, samples: () => buffer.drain() });
    const first = reporter.report(false);
    expect(first.samples).toEqual({
      httpMs: Array.from({ length: MAX_SAMPLES_PER_KIND }, (_, i) => 100 - MAX_SAMPLES_PER_KIND + i),
      startupMs: [1235],
      p2pMs: [600_000],
    });
    expect(JSON.stringify(first).length).toBeLessThan(4096);
    expect('samples' in reporter.report(false)).toBe(false);
  });
});
