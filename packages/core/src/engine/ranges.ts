import type { SegmentId, SegmentRange } from '../protocol/index.js';

/** Compresses segment ids into runs of consecutive sequence numbers per track. */
export function toRanges(ids: readonly SegmentId[]): SegmentRange[] {
  const sorted = [...ids].sort((a, b) => a.track - b.track || a.seq - b.seq);
  const ranges: SegmentRange[] = [];
  let current: { track: number; from: number; count: number } | undefined;
  for (const id of sorted) {
    if (current && current.track === id.track && current.from + current.count === id.seq) {
      current.count++;
      continue;
    }
    if (current && current.track === id.track && current.from + current.count > id.seq) continue; // duplicate
    current = { track: id.track, from: id.seq, count: 1 };
    ranges.push(current);
  }
  return ranges;
}

export function rangesCover(ranges: readonly SegmentRange[], id: SegmentId): boolean {
  return ranges.some((r) => r.track === id.track && r.from <= id.seq && id.seq < r.from + r.count);
}
