import type { SegmentId } from '../protocol/index.js';

/** Map key for a segment: "track:seq". */
export type SegmentKey = string;

export function segmentKey(id: SegmentId): SegmentKey {
  return `${id.track}:${id.seq}`;
}

export function parseSegmentKey(key: SegmentKey): SegmentId {
  const [track, seq] = key.split(':');
  return { track: Number(track), seq: Number(seq) };
}
