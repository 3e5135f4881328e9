// Stream labels as pure logic: what a viewer's label becomes, which one a swarm shows, and the
// bounded per-stream rows /metrics is built from.
import { describe, expect, it } from 'vitest';
import { LabelTally, MAX_LABEL_CANDIDATES, MAX_LABEL_CHARS, sanitizeLabel } from '../src/stats/label.js';
import { parseReport } from '../src/stats/report.js';
import { StatsStore } from '../src/stats/store.js';
import { zeroRanges } from '../src/cluster/merge-ranges.js';
import { mergeStats } from '../src/cluster/aggregate.js';
import { MAX_STREAM_ROWS, streamRows } from '../src/stats/stream-rows.js';

const hex = (n: number) => n.toString(16).padStart(40, '0');
const body = (over: Record<string, unknown>) =>
  JSON.stringify({
    v: 1,
    swarm: hex(1),
    peerId: hex(2),
    httpBytes: 0,
    p2pBytes: 0,
    uploadBytes: 0,
    rejectedBytes: 0,
    peers: 0,
    stalls: 0,
    stallMs: 0,
    playingMs: 0,
    ...over,
  });

describe('stream label sanitizing', () => {
  it('strips control and bidi/format characters, collapses whitespace, and bounds the length', () => {
    expect(sanitizeLabel('  Main\u0000stage\n\t(live)\u202e  ')).toBe('Main stage (live)');
    expect(sanitizeLabel('a\u200bb\u2028c')).toBe('a b c');
    expect(sanitizeLabel('\u0007\u200f \n')).toBeUndefined();
    const long = sanitizeLabel('😀'.repeat(500))!;
    expect([...long].length).toBe(MAX_LABEL_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });

  it('parses the label from a report: sanitized, optional, refused when not a string', () => {
    expect(parseReport(body({ label: 'Show\u0001 1' }))).toMatchObject({ ok: true, report: { label: 'Show 1' } });
    const none = parseReport(body({}));
    expect(none.ok && 'label' in none.report).toBe(false);
    const blank = parseReport(body({ label: '\u0000' }));
    expect(blank.ok && 'label' in blank.report).toBe(false);
    expect(parseReport(body({ label: 5 }))).toEqual({ ok: false, error: 'label must be a string' });
    expect(parseReport(body({ label: ['x'] }))).toEqual({ ok: false, error: 'label must be a string' });
  });
});

describe('label tally', () => {
  it('shows the most voted label, the earlier on a tie, and keeps at most a few candidates', () => {
    const t = new LabelTally();
    expect(t.label).toBeNull();
    t.vote('a');
    t.vote('b');
    expect(t.label).toBe('a');
    t.vote('b');
    expect(t.label).toBe('b');
    for (let i = 0; i < 1000; i++) t.vote(`spam ${i}`, 10);
    // Candidates beyond the cap are ignored: memory stays bounded whatever members send.
    expect(t.label).toBe('spam 0');
    t.vote('b', 20);
    expect(t.label).toBe('b');
    expect(MAX_LABEL_CANDIDATES).toBeLessThan(10);
  });

  it('survives a save and restore of the store, and a corrupt saved label is sanitized or dropped', () => {
    const a = new StatsStore(10, 2, 10, 1000);
    a.add(hex(1), { httpBytes: 1, p2pBytes: 0, uploadBytes: 0, rejectedBytes: 0, stalls: 0, stallMs: 0, playingMs: 0 }, 1000, 'News');
    const saved = a.save();
    const b = new StatsStore(10, 2, 10, 1000);
    b.restore(
      {
        ...saved,
        swarms: {
          ...saved.swarms,
          [hex(2)]: { ...saved.swarms[hex(1)]!, label: '<b>\u0000x' },
          [hex(3)]: { ...saved.swarms[hex(1)]!, label: 7 as unknown as string },
        },
      },
      2000,
    );
    const labels = Object.fromEntries(b.swarmSummaries(() => 0).map((s) => [s.swarm, s.label]));
    expect(labels).toEqual({ [hex(1)]: 'News', [hex(2)]: '<b> x', [hex(3)]: null });
  });
});

describe('per-stream metric rows', () => {
  it('names the top streams by label (else the id), sums the rest as "other"', () => {
    const summaries = Array.from({ length: MAX_STREAM_ROWS + 5 }, (_, i) => ({
      swarm: hex(i + 1),
      label: i === 0 ? 'Main stage' : null,
      viewers: 100 - i,
      httpBytes: 10,
      p2pBytes: 30,
      uploadBytes: 0,
      rejectedBytes: 0,
      stalls: 0,
      stallMs: 0,
      playingMs: 0,
      reports: 1,
      offload: 0.75,
      bytesSaved: 30,
      series: [],
      ranges: zeroRanges(),
    }));
    const rows = streamRows(summaries);
    expect(rows.length).toBe(MAX_STREAM_ROWS + 1);
    expect(rows[0]).toEqual({
      swarm: hex(1),
      stream: 'Main stage',
      viewers: 100,
      httpBytes: 10,
      p2pBytes: 30,
      stalls: 0,
      stallMs: 0,
      playingMs: 0,
    });
    expect(rows[1]!.stream).toBe(hex(2).slice(0, 12));
    expect(rows.at(-1)).toEqual({
      swarm: 'other',
      stream: 'other',
      viewers: 5 * 100 - (20 + 21 + 22 + 23 + 24),
      httpBytes: 50,
      p2pBytes: 150,
      stalls: 0,
      stallMs: 0,
      playingMs: 0,
    });
    expect(streamRows(summaries.slice(0, 3)).length).toBe(3);
  });
});

describe('stream labels across a cluster', () => {
  it("merges nodes' labels for one swarm, weighted by their reports, sanitized again", () => {
    const summary = (label: string | null, reports: number) => ({
      swarm: hex(1),
      label,
      viewers: 1,
      httpBytes: 0,
      p2pBytes: 0,
      uploadBytes: 0,
      rejectedBytes: 0,
      stalls: 0,
      stallMs: 0,
      playingMs: 0,
      reports,
      offload: null,
      bytesSaved: 0,
      series: [],
      ranges: zeroRanges(),
    });
    const snap = (node: string, label: string | null, reports: number) => ({
      node,
      url: 'http://127.0.0.1:1',
      stats: {
        now: 0,
        intervalMs: 1000,
        series: [],
        ranges: { '15m': [], '1h': [], '24h': [] },
        cost: null,
        swarms: [summary(label, reports)],
        overall: { ...summary(null, reports), swarms: 1 },
        tracker: { connections: 0, swarms: 1, peers: 1, announces: 0, offersRelayed: 0, answersRelayed: 0, rejections: {} },
      },
    });
    const merged = mergeStats('a', 'up', [snap('a', 'Wrong', 1), snap('b', 'Main\u0000stage', 5), snap('c', null, 9)], 1);
    expect(merged.swarms[0]!.label).toBe('Main stage');
  });
});
