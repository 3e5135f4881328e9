import { describe, expect, it } from 'vitest';
import { urlSegmentId } from '@shoal/core';
import { parseRangeHeader, shakaSegmentRequest } from '../src/segment-request.js';
import { segmentRequest } from './stub-shaka.js';

const MEDIA = 1;
const INIT = 0;
const segment = { startTime: 12, endTime: 16 };
const URI = 'https://cdn.test/show/v0/seg_7.m4s';

describe('shakaSegmentRequest', () => {
  it('a media segment (DASH SegmentTemplate, HLS) becomes a LoadRequest keyed by its URL', () => {
    expect(shakaSegmentRequest(URI, segmentRequest(), { type: MEDIA, segment }, MEDIA, true)).toEqual({
      id: urlSegmentId({ url: URI }),
      url: URI,
      durationS: 4,
      startS: 12,
      live: true,
    });
  });

  it('a byte range (SegmentBase, SegmentList, HLS byte ranges) keys the id and is fetched as that range', () => {
    const request = shakaSegmentRequest(
      'https://cdn.test/v.mp4',
      segmentRequest({ Range: 'bytes=100-199' }),
      { type: MEDIA, segment },
      MEDIA,
      false,
    );
    expect(request?.byteRange).toEqual({ start: 100, end: 199 });
    expect(request?.id).toEqual(urlSegmentId({ url: 'https://cdn.test/v.mp4', byteRange: { start: 100, end: 199 } }));
  });

  it('HLS parser probes (a media segment without a reference) go through Shoal, their media time unknown', () => {
    expect(shakaSegmentRequest(URI, segmentRequest(), { type: MEDIA }, MEDIA, false)).toEqual({
      id: urlSegmentId({ url: URI }),
      url: URI,
      durationS: 0,
      startS: 0,
      live: false,
    });
  });

  it("init segments, requests without a context, open ranges and POSTs stay with Shaka's HTTP plugin", () => {
    expect(shakaSegmentRequest(URI, segmentRequest(), { type: INIT, segment: null }, MEDIA, false)).toBeUndefined();
    expect(shakaSegmentRequest(URI, segmentRequest(), undefined, MEDIA, false)).toBeUndefined();
    expect(shakaSegmentRequest(URI, segmentRequest({ Range: 'bytes=100-' }), { type: MEDIA, segment }, MEDIA, false)).toBeUndefined();
    expect(shakaSegmentRequest(URI, { ...segmentRequest(), method: 'POST' }, { type: MEDIA, segment }, MEDIA, false)).toBeUndefined();
  });
});

describe('parseRangeHeader', () => {
  it('reads closed ranges; open or malformed ones are not shareable', () => {
    expect(parseRangeHeader({})).toBe('none');
    expect(parseRangeHeader({ range: 'bytes=0-99' })).toEqual({ start: 0, end: 99 });
    expect(parseRangeHeader({ Range: 'bytes=5-' })).toBe('open');
    expect(parseRangeHeader({ Range: 'bytes=9-3' })).toBe('open');
  });
});
