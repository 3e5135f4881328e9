import { describe, expect, it } from 'vitest';
import { PlayheadModel } from '../src/node-peer/playhead-model.js';

function clock(start = 1000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('PlayheadModel', () => {
  it('starts once the start position is buffered and times startup from startupFrom', () => {
    const c = clock();
    const p = new PlayheadModel(c.now, { startS: 0, startupFrom: 900 });
    c.advance(250);
    expect(p.counters()).toMatchObject({ state: 'starting', startupMs: null });
    p.append(0, 2);
    expect(p.counters()).toMatchObject({ state: 'playing', startupMs: 350, stalls: 0 });
  });

  it('plays in real time and stalls exactly when the buffer runs dry', () => {
    const c = clock();
    const p = new PlayheadModel(c.now, { startS: 10 });
    p.append(10, 2);
    p.append(12, 2);
    c.advance(1500);
    expect(p.positionS()).toBeCloseTo(11.5);
    expect(p.bufferedAheadS()).toBeCloseTo(2.5);
    c.advance(4000); // ran dry 2.5 s in; stalled for 1.5 s
    const stalled = p.counters();
    expect(stalled).toMatchObject({ state: 'stalled', stalls: 1 });
    expect(stalled.stallMs).toBeCloseTo(1500);
    expect(stalled.playingMs).toBeCloseTo(4000);
    expect(p.positionS()).toBeCloseTo(14);
    c.advance(500);
    p.append(14, 2);
    const resumed = p.counters();
    expect(resumed).toMatchObject({ state: 'playing', stalls: 1 });
    expect(resumed.stallMs).toBeCloseTo(2000);
  });

  it('needs resumeAheadS buffered to resume, and merges ranges across small gaps', () => {
    const c = clock();
    const p = new PlayheadModel(c.now, { startS: 0, resumeAheadS: 3, gapToleranceS: 0.3 });
    p.append(0, 2);
    expect(p.counters().state).toBe('starting');
    p.append(2.2, 2); // 0.2 s gap: one range
    expect(p.counters().state).toBe('playing');
    expect(p.bufferedAheadS()).toBeCloseTo(4.2);
  });

  it('ends at the end of a VOD instead of stalling', () => {
    const c = clock();
    const p = new PlayheadModel(c.now, { startS: 0 });
    p.setEnd(4);
    p.append(0, 2);
    p.append(2, 2);
    c.advance(10_000);
    expect(p.counters()).toMatchObject({ state: 'ended', stalls: 0, stallMs: 0 });
    expect(p.counters().playingMs).toBeCloseTo(4000);
  });

  it('does not count waiting before the first frame as a stall', () => {
    const c = clock();
    const p = new PlayheadModel(c.now, { startS: 0 });
    c.advance(5000);
    p.append(0, 2);
    expect(p.counters()).toMatchObject({ stalls: 0, stallMs: 0, startupMs: 5000 });
  });

  it('a seek away from the buffer waits for data there', () => {
    const c = clock();
    const p = new PlayheadModel(c.now, { startS: 0 });
    p.append(0, 10);
    c.advance(1000);
    p.seek(30);
    expect(p.counters().state).toBe('stalled');
    c.advance(300);
    p.append(30, 2);
    expect(p.counters()).toMatchObject({ state: 'playing', stalls: 1 });
    expect(p.counters().stallMs).toBeCloseTo(300);
  });
});
