import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Availability, MAX_AVAILABILITY_RUNS } from '../src/engine/availability.js';

const range = (from: number, count: number, track = 0) => ({ track, from, count });
const held = (a: Availability, track: number, from: number, to: number) => {
  const seqs: number[] = [];
  for (let seq = from; seq <= to; seq++) if (a.has({ track, seq })) seqs.push(seq);
  return seqs;
};

describe('a peer’s availability, kept as runs', () => {
  it('merges overlapping and touching claims into one run per track, and answers look-ups by range', () => {
    const a = new Availability(1000);
    a.add([range(10, 5), range(15, 5), range(12, 2), range(30, 1), range(0, 3, 1)]);
    expect(a.runCount).toBe(3);
    expect(a.size).toBe(10 + 1 + 3);
    expect(held(a, 0, 8, 32)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 30]);
    expect(held(a, 1, 0, 5)).toEqual([0, 1, 2]);
    expect(a.has({ track: 2, seq: 0 })).toBe(false);
    a.add([range(20, 10)]); // bridges 10..19 and 30
    expect(a.runCount).toBe(2);
    expect(a.size).toBe(21 + 3);
  });

  it('finds a held segment within a window behind a sequence number', () => {
    const a = new Availability(1000);
    a.add([range(100, 5)]); // 100..104
    expect(a.hasNear({ track: 0, seq: 104 }, 0)).toBe(true);
    expect(a.hasNear({ track: 0, seq: 110 }, 6)).toBe(true);
    expect(a.hasNear({ track: 0, seq: 110 }, 5)).toBe(false);
    expect(a.hasNear({ track: 0, seq: 99 }, 50)).toBe(false);
    expect(a.hasNear({ track: 1, seq: 104 }, 50)).toBe(false);
  });

  it('forgets lost segments, splitting a run around a hole', () => {
    const a = new Availability(1000);
    a.add([range(0, 10), range(20, 10)]);
    a.remove([range(3, 2), range(9, 12), range(29, 5)]);
    expect(held(a, 0, 0, 35)).toEqual([0, 1, 2, 5, 6, 7, 8, 21, 22, 23, 24, 25, 26, 27, 28]);
    expect(a.size).toBe(15);
    expect(a.runCount).toBe(3);
    a.remove([range(0, 100)]);
    expect(a.size).toBe(0);
    expect(a.runCount).toBe(0);
  });

  it('past maxSegments, forgets the claims made longest ago first, trimming the oldest run from its low end', () => {
    const a = new Availability(100);
    a.add([range(0, 60)]);
    a.add([range(1000, 30, 1)]);
    a.add([range(500, 30)]); // 120 covered: 20 too many, taken from the oldest run 0..59
    expect(a.size).toBe(100);
    expect(held(a, 0, 0, 60)).toEqual(Array.from({ length: 40 }, (_, i) => 20 + i));
    a.add([range(0, 10, 1)]); // again 10 too many
    expect(held(a, 0, 0, 60)).toEqual(Array.from({ length: 30 }, (_, i) => 30 + i));
    a.add([range(30, 1)]); // re-announced: the run becomes the newest claim
    a.add([range(2000, 30, 1)]);
    expect(a.has({ track: 0, seq: 30 })).toBe(true);
    expect(a.has({ track: 1, seq: 1000 })).toBe(false);
    expect(a.size).toBe(100);
  });

  it('claims of huge counts are numbers, not work: the bounds hold and nothing is expanded', () => {
    const a = new Availability(1_000_000);
    const frame = Array.from({ length: 1024 }, (_, i) => range(i * 2_000_000, 1_000_000, i % 3));
    for (let i = 0; i < 4; i++) a.add(frame.map((r) => ({ ...r, from: r.from + i })));
    expect(a.size).toBe(1_000_000);
    expect(a.runCount).toBeLessThanOrEqual(MAX_AVAILABILITY_RUNS);
  });

  it('never holds more than its run cap, however the claims are scattered, and keeps answering', () => {
    const a = new Availability(1_000_000);
    for (let frame = 0; frame < 5; frame++) a.add(Array.from({ length: 1024 }, (_, i) => range((frame * 1024 + i) * 2, 1)));
    expect(a.runCount).toBe(MAX_AVAILABILITY_RUNS);
    expect(a.size).toBe(MAX_AVAILABILITY_RUNS);
    expect(a.has({ track: 0, seq: (5 * 1024 - 1) * 2 })).toBe(true); // the newest stay
    expect(a.has({ track: 0, seq: 0 })).toBe(false); // the oldest went
    for (let i = 0; i < 3000; i++) a.remove([range(i * 4 + 1, 2)]); // a LOST storm of misses and splits
    expect(a.runCount).toBeLessThanOrEqual(MAX_AVAILABILITY_RUNS);
  });
});

describe('availability against a plain set of ids', () => {
  it('answers exactly as the set would, for any claims and losses within its bounds', () => {
    const claim = fc.record({
      track: fc.integer({ min: 0, max: 2 }),
      from: fc.integer({ min: 0, max: 60 }),
      count: fc.integer({ min: 1, max: 12 }),
    });
    // Frames of up to 24 ranges: both the one-by-one and the one-pass merge.
    const op = fc.record({ lost: fc.boolean(), ranges: fc.array(claim, { minLength: 1, maxLength: 24 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const a = new Availability(10_000);
        const model = new Set<string>();
        for (const { lost, ranges } of ops) {
          if (lost) a.remove(ranges);
          else a.add(ranges);
          for (const { track, from, count } of ranges) {
            for (let seq = from; seq < from + count; seq++) {
              if (lost) model.delete(`${track}:${seq}`);
              else model.add(`${track}:${seq}`);
            }
          }
        }
        const wrong: string[] = [];
        for (let track = 0; track <= 2; track++) {
          for (let seq = 0; seq < 75; seq++) {
            if (a.has({ track, seq }) !== model.has(`${track}:${seq}`)) wrong.push(`has ${track}:${seq}`);
            const near = [0, 1, 2, 3].some((back) => model.has(`${track}:${seq - back}`));
            if (a.hasNear({ track, seq }, 3) !== near) wrong.push(`hasNear ${track}:${seq}`);
          }
        }
        expect(wrong).toEqual([]);
        expect(a.size).toBe(model.size);
      }),
      { numRuns: 300 },
    );
  });
});
