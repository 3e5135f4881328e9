import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { urlSegmentId } from '../../src/facade/url-segment-id.js';

describe('urlSegmentId', () => {
  it('numbered files: one track per name pattern, seq = the number (consecutive segments form runs)', () => {
    const a = urlSegmentId({ url: 'https://cdn.test/show/v0/seg_41.m4s?token=a' });
    const b = urlSegmentId({ url: 'https://cdn.test/show/v0/seg_42.m4s?token=b' });
    const other = urlSegmentId({ url: 'https://cdn.test/show/v1/seg_42.m4s' });
    expect(a.seq).toBe(41);
    expect(b).toEqual({ track: a.track, seq: 42 });
    expect(other.seq).toBe(42);
    expect(other.track).not.toBe(a.track);
  });

  it('byte ranges of one file: the same range gives the same id, another range another id', () => {
    const url = 'https://cdn.test/show/video.mp4';
    const first = urlSegmentId({ url, byteRange: { start: 1000, end: 4999 } });
    expect(urlSegmentId({ url: `${url}?sig=x`, byteRange: { start: 1000, end: 4999 } })).toEqual(first);
    const second = urlSegmentId({ url, byteRange: { start: 5000, end: 8999 } });
    expect(second.track).toBe(first.track);
    expect(second.seq).not.toBe(first.seq);
  });

  it('relative URLs resolve against the base; ids always fit the wire (u16 track, u32 seq)', () => {
    expect(urlSegmentId({ url: 'v0/seg_3.m4s' }, 'https://cdn.test/show/manifest.mpd')).toEqual(
      urlSegmentId({ url: 'https://cdn.test/show/v0/seg_3.m4s' }),
    );
    fc.assert(
      fc.property(fc.webUrl(), fc.option(fc.tuple(fc.nat(), fc.nat())), (url, range) => {
        const id = urlSegmentId({ url, ...(range ? { byteRange: { start: range[0], end: range[0] + range[1] } } : {}) });
        expect(Number.isInteger(id.track) && id.track >= 0 && id.track <= 0xffff).toBe(true);
        expect(Number.isInteger(id.seq) && id.seq >= 0 && id.seq <= 0xffffffff).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
