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
 * open-ended ranges, POSTs. The id comes from the URL and byte range (urlSegmentId), so viewers
 * agree on it whatever ids Shaka gave its streams. A media segment without a segment reference is
 * Shaka's HLS parser probing the stream (codecs, and closed captions when the multivariant
 * playlist declares none: the first segment and up to two more); the parser keeps those bytes for
 * playback, which never asks for them again, so they come through Shoal too (counted, verified,
 * shared), with their media time unknown (0).
 */
export function shakaSegmentRequest(
  uri: string,
  request: ShakaRequest,
  context: ShakaRequestContext | undefined,
  mediaSegmentType: number,
  live: boolean,
): LoadRequest | undefined {
  if (context?.type !== mediaSegmentType || request.method !== 'GET') return undefined;
  const range = parseRangeHeader(request.headers);
  if (range === 'open') return undefined;
  const target = range === 'none' ? { url: uri } : { url: uri, byteRange: range };
  const { startTime = 0, endTime = 0 } = context.segment ?? {};
  return { id: urlSegmentId(target), ...target, durationS: Math.max(0, endTime - startTime), startS: startTime, live };
}
