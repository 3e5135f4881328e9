import { urlSegmentId, type LoadRequest } from '@shoal/core';
import type { ShakaRequest, ShakaRequestContext } from './shaka-api.js';

/** "bytes=START-END" (Shaka's Range header for SegmentBase, SegmentList and HLS byte ranges); an open end is no range Shoal can share. */
const RANGE = /^bytes=(\d+)-(\d+)$/;

export type RangeHeader = { start: number; end: number } | 'none' | 'open';

export function parseRangeHeader(headers: Record<string, string>): RangeHeader {
  const value = headers.Range ?? headers.range;
  if (value === undefined) return 'none';
  const match = RANGE.exec(value.trim());
  if (!match) return 'open';
  const start = Number(match[1]);
  const end = Number(match[2]);
  return end >= start ? { start, end } : 'open';
}

/**
 * A Shaka media segment request as the engine's LoadRequest, or undefined when Shaka's own HTTP
 * plugin should take it: init segments (small, fetched once: not worth a peer round trip),
 * requests without a segment reference, open-ended ranges, POSTs. The id comes from the URL and
 * byte range (urlSegmentId), so viewers agree on it whatever ids Shaka gave its streams.
 */
export function shakaSegmentRequest(
  uri: string,
  request: ShakaRequest,
  context: ShakaRequestContext | undefined,
  mediaSegmentType: number,
  live: boolean,
): LoadRequest | undefined {
  const segment = context?.segment;
  if (context?.type !== mediaSegmentType || !segment || request.method !== 'GET') return undefined;
  const range = parseRangeHeader(request.headers);
  if (range === 'open') return undefined;
  const byteRange = range === 'none' ? undefined : range;
  return {
    id: urlSegmentId(byteRange ? { url: uri, byteRange } : { url: uri }),
    url: uri,
    ...(byteRange ? { byteRange } : {}),
    durationS: Math.max(0, segment.endTime - segment.startTime),
    startS: segment.startTime,
    live,
  };
}
