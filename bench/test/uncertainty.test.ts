import { describe, expect, it } from 'vitest';
import { medianRatioInterval } from '../src/results/uncertainty.js';

// First frames (ms) of 8 viewers in two real live-8 runs on this machine, P2P off and on.
const OFF = [297, 263, 166, 369, 266, 609, 680, 249];
const ON = [488, 229, 287, 321, 246, 564, 635, 471];

describe('startup ratio interval', () => {
  it('shows that two 8-viewer runs spread this widely cannot tell 1.40x from parity', () => {
    const interval = medianRatioInterval(OFF, ON)!;
    expect(interval.level).toBe(0.9);
    expect(interval.low).toBeLessThan(1);
    expect(interval.high).toBeGreaterThan(1.4);
  });

  it('pins the ratio down when every pair moves together', () => {
    const off = [200, 250, 300, 350, 400, 450, 500, 550, 600, 650];
    expect(medianRatioInterval(off, off, { paired: true })).toEqual({ low: 1, high: 1, level: 0.9 });
    const slower = off.map((ms) => ms * 1.2);
    expect(medianRatioInterval(off, slower, { paired: true })).toEqual({ low: 1.2, high: 1.2, level: 0.9 });
    // The same numbers unpaired leave room on both sides.
    const unpaired = medianRatioInterval(off, off)!;
    expect(unpaired.low).toBeLessThan(0.9);
    expect(unpaired.high).toBeGreaterThan(1.1);
  });

  it('is reproducible (seeded) and needs three samples a side', () => {
    expect(medianRatioInterval(OFF, ON)).toEqual(medianRatioInterval(OFF, ON));
    expect(medianRatioInterval([300, 310], [320, 330])).toBeNull();
    expect(medianRatioInterval([300, 310, 320], [320], { paired: true })).toBeNull();
  });
});
