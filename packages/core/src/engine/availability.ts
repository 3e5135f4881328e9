import type { SegmentId, SegmentRange } from '../protocol/index.js';

/** Most separate runs remembered per peer, whatever maxAvailability allows in segments. */
export const MAX_AVAILABILITY_RUNS = 2048;
/** Claims longer than this are merged into a track in one pass, not one binary search and splice each. */
const MERGE_IN_ONE_PASS = 16;

/** Consecutive sequence numbers [from, end) held on one track. Mutable in place: its age is its place in the queue. */
interface Run {
  readonly track: number;
  from: number;
  end: number;
  /** False once merged into a newer run, removed or evicted; the age queue skips it then. */
  live: boolean;
}

/**
 * What one peer says it holds, as sorted runs of sequence numbers per track. A claim is never
 * expanded into ids: its cost is that of its ranges (a few: a binary search and a splice each;
 * many: one merge pass over the track), whatever the numbers in it. Bounded by `maxSegments`
 * covered and MAX_AVAILABILITY_RUNS runs; past either, the runs announced longest ago are
 * forgotten first, off an age queue, with one pass over each track they were on.
 */
export class Availability {
  private readonly tracks = new Map<number, Run[]>();
  /** Runs oldest first (a run merged with a new claim counts as new); dead entries are skipped. */
  private age: Run[] = [];
  private ageHead = 0;
  private covered = 0;
  private runs = 0;

  constructor(private readonly maxSegments: number) {}

  /** Segments covered. */
  get size(): number {
    return this.covered;
  }

  get runCount(): number {
    return this.runs;
  }

  has(id: SegmentId): boolean {
    const run = this.runAtOrBefore(id.track, id.seq);
    return run !== undefined && id.seq < run.end;
  }

  /** Whether any segment in [seq - window, seq] of the track is held. */
  hasNear(id: SegmentId, window: number): boolean {
    const run = this.runAtOrBefore(id.track, id.seq);
    return run !== undefined && run.end > id.seq - window;
  }

  /** Remembers ranges as the newest claims, merging with what touches them, then evicts down to the bounds. */
  add(ranges: readonly SegmentRange[]): void {
    if (ranges.length <= MERGE_IN_ONE_PASS) {
      for (const r of ranges) this.addOne(r.track, r.from, r.from + r.count);
    } else {
      const order = (a: SegmentRange, b: SegmentRange) => a.track - b.track || a.from - b.from;
      const sorted = ranges.every((r, i) => i === 0 || order(ranges[i - 1]!, r) <= 0) ? ranges : [...ranges].sort(order);
      for (let i = 0; i < sorted.length;) {
        let j = i;
        while (j < sorted.length && sorted[j]!.track === sorted[i]!.track) j++;
        this.mergeIntoTrack(sorted[i]!.track, sorted.slice(i, j));
        i = j;
      }
    }
    this.evict();
  }

  /** Forgets the ranges (a LOST, a rejected request). Splitting a run keeps its left part's age. */
  remove(ranges: readonly SegmentRange[]): void {
    for (const r of ranges) this.removeOne(r.track, r.from, r.from + r.count);
  }

  private addOne(track: number, from: number, end: number): void {
    let list = this.tracks.get(track);
    if (!list) this.tracks.set(track, (list = []));
    // Runs [lo, hi) overlap or touch [from, end): they become one run with it.
    const lo = firstEndingAtOrAfter(list, from);
    let hi = lo;
    while (hi < list.length && list[hi]!.from <= end) hi++;
    const merged: Run = { track, from, end, live: true };
    for (let i = lo; i < hi; i++) {
      const old = list[i]!;
      merged.from = Math.min(merged.from, old.from);
      merged.end = Math.max(merged.end, old.end);
      this.forget(old);
    }
    list.splice(lo, hi - lo, merged);
    this.covered += merged.end - merged.from;
    this.runs++;
    this.age.push(merged);
  }

  /** Merges ranges sorted by `from` into one track's runs: one pass over both. */
  private mergeIntoTrack(track: number, incoming: readonly SegmentRange[]): void {
    const list = this.tracks.get(track) ?? [];
    const out: Run[] = [];
    let group: { from: number; end: number; old: Run[]; claimed: boolean } | undefined;
    const flush = () => {
      if (!group) return;
      if (!group.claimed) return void out.push(group.old[0]!); // untouched: keeps its age
      for (const old of group.old) this.forget(old);
      const run: Run = { track, from: group.from, end: group.end, live: true };
      this.covered += run.end - run.from;
      this.runs++;
      this.age.push(run);
      out.push(run);
    };
    for (let i = 0, j = 0; i < list.length || j < incoming.length;) {
      const takeOld = j >= incoming.length || (i < list.length && list[i]!.from <= incoming[j]!.from);
      const from = takeOld ? list[i]!.from : incoming[j]!.from;
      const end = takeOld ? list[i]!.end : incoming[j]!.from + incoming[j]!.count;
      if (!group || from > group.end) {
        flush();
        group = { from, end, old: [], claimed: false };
      }
      group.end = Math.max(group.end, end);
      if (takeOld) {
        group.old.push(list[i++]!);
      } else {
        group.claimed = true;
        j++;
      }
    }
    flush();
    this.tracks.set(track, out);
  }

  private removeOne(track: number, from: number, end: number): void {
    const list = this.tracks.get(track);
    if (!list) return;
    let i = firstEndingAtOrAfter(list, from + 1);
    while (i < list.length && list[i]!.from < end) {
      const run = list[i]!;
      if (from <= run.from && run.end <= end) {
        this.forget(run);
        list.splice(i, 1);
        continue;
      }
      if (run.from < from && end < run.end) {
        // A hole in the middle: the right part is a new run (queued as young; a small inexactness).
        const right: Run = { track, from: end, end: run.end, live: true };
        this.covered -= end - from;
        run.end = from;
        list.splice(i + 1, 0, right);
        this.runs++;
        this.age.push(right);
        break;
      }
      const cutFrom = Math.max(from, run.from);
      const cutEnd = Math.min(end, run.end);
      this.covered -= cutEnd - cutFrom;
      if (cutFrom === run.from) run.from = cutEnd;
      else run.end = cutFrom;
      i++;
    }
    if (list.length === 0) this.tracks.delete(track);
    this.compactAge();
  }

  private evict(): void {
    const evicted: Run[] = [];
    while (this.covered > this.maxSegments || this.runs > MAX_AVAILABILITY_RUNS) {
      const oldest = this.age[this.ageHead]!;
      if (!oldest.live) {
        this.ageHead++;
        continue;
      }
      const excess = this.covered - this.maxSegments;
      if (this.runs <= MAX_AVAILABILITY_RUNS && excess < oldest.end - oldest.from) {
        oldest.from += excess; // its lowest sequence numbers are the oldest of it
        this.covered -= excess;
        break;
      }
      this.ageHead++;
      this.forget(oldest);
      evicted.push(oldest);
    }
    if (evicted.length <= MERGE_IN_ONE_PASS) {
      for (const run of evicted) {
        const list = this.tracks.get(run.track)!;
        list.splice(firstEndingAtOrAfter(list, run.end), 1);
      }
    } else {
      // Many: one pass per track they were on, not one splice each.
      for (const track of new Set(evicted.map((run) => run.track)))
        this.tracks.set(
          track,
          this.tracks.get(track)!.filter((run) => run.live),
        );
    }
    for (const run of evicted) if (this.tracks.get(run.track)?.length === 0) this.tracks.delete(run.track);
    this.compactAge();
  }

  private forget(run: Run): void {
    run.live = false;
    this.covered -= run.end - run.from;
    this.runs--;
  }

  /** Keeps the queue within twice the live runs (plus slack): amortized O(1) per run ever queued. */
  private compactAge(): void {
    if (this.age.length - this.ageHead <= 2 * this.runs + 64) return;
    this.age = this.age.slice(this.ageHead).filter((run) => run.live);
    this.ageHead = 0;
  }

  private runAtOrBefore(track: number, seq: number): Run | undefined {
    const list = this.tracks.get(track);
    if (!list) return undefined;
    const i = firstEndingAtOrAfter(list, seq + 1);
    if (i < list.length && list[i]!.from <= seq) return list[i];
    return i > 0 ? list[i - 1] : undefined;
  }
}

/** Index of the first run whose end is >= at (runs are sorted, disjoint and apart). */
function firstEndingAtOrAfter(list: readonly Run[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.end < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
