import { describe, expect, it } from 'vitest';
import { GrowableBytes } from '../src/engine/growable-bytes.js';

describe('segment bytes that grow as they arrive', () => {
  it('allocates for the bytes written, not the size claimed, and returns them whole', () => {
    const bytes = new GrowableBytes(64 * 1024 * 1024);
    expect(bytes.capacity).toBe(0);
    bytes.set(new Uint8Array(16 * 1024).fill(7), 0);
    expect(bytes.capacity).toBe(128 * 1024);
    bytes.set(new Uint8Array(16 * 1024).fill(8), 300 * 1024);
    expect(bytes.capacity).toBe(316 * 1024);
    expect(bytes.length).toBe(64 * 1024 * 1024);
    const small = new GrowableBytes(10);
    small.set(Uint8Array.of(1, 2), 8);
    expect([...small.whole()]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
  });

  it('refuses bytes outside the segment', () => {
    const bytes = new GrowableBytes(100);
    expect(() => bytes.set(new Uint8Array(10), 95)).toThrow('bytes 95+10 outside a segment of 100');
    expect(() => bytes.set(new Uint8Array(1), -1)).toThrow(RangeError);
  });

  it('wraps a body that arrived whole without copying it', () => {
    const body = Uint8Array.of(1, 2, 3);
    expect(GrowableBytes.of(body).whole()).toBe(body);
  });
});
