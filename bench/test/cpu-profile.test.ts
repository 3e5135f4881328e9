import { describe, expect, it } from 'vitest';
import { bucketOf, summarizeProfile, sumBuckets, type CpuProfile } from '../src/results/cpu-profile.js';

const frame = (functionName: string, url = '') => ({ functionName, url });
// Node ids: 1 root (program), 2 Shoal, 3 hls.js, 4 GC, 5 idle. Each sample's time is the next delta.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(program)') },
    { id: 2, callFrame: frame('onPiece', 'http://127.0.0.1:1/shoal-hlsjs.iife.js') },
    { id: 3, callFrame: frame('remux', 'http://127.0.0.1:1/hls.min.js') },
    { id: 4, callFrame: frame('(garbage collector)') },
    { id: 5, callFrame: frame('(idle)') },
  ],
  samples: [2, 2, 3, 4, 5, 1],
  timeDeltas: [0, 2000, 3000, 1000, 500, 4000],
  startTime: 0,
  endTime: 12_000,
};

describe('CPU profile summary', () => {
  it('books each sample the time until the next one, per script of the bench page', () => {
    const s = summarizeProfile(profile);
    expect(s.spanMs).toBe(12);
    expect(s.byBucket).toEqual({ shoal: 5, 'hls.js': 1, page: 0, gc: 0.5, program: 0, idle: 4, other: 0 });
    expect(s.top).toEqual([
      { fn: 'onPiece', bucket: 'shoal', selfMs: 5 },
      { fn: 'remux', bucket: 'hls.js', selfMs: 1 },
      { fn: '(garbage collector)', bucket: 'gc', selfMs: 0.5 },
    ]);
  });

  it('sorts frames by script and sums pages', () => {
    expect(bucketOf(frame('x', 'http://h/player.js'))).toBe('page');
    expect(bucketOf(frame('x', 'http://h/other.js'))).toBe('other');
    const s = summarizeProfile(profile);
    expect(sumBuckets([s, s]).shoal).toBe(10);
  });

  it('survives a profile without samples', () => {
    expect(summarizeProfile({ nodes: [], startTime: 5, endTime: 5 }).top).toEqual([]);
  });
});
