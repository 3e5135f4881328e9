import type { SegmentId } from '../protocol/index.js';
import { segmentKey, type SegmentKey } from './segment-key.js';

interface Entry {
  readonly id: SegmentId;
  readonly bytes: Uint8Array;
  /** Position of the segment in media time, when known: eviction prefers what is behind the playhead. */
  readonly startS: number | undefined;
  lastUsed: number;
}

export interface StoreListener {
  added(id: SegmentId): void;
  evicted(ids: SegmentId[]): void;
}

/**
 * Complete segments this viewer holds and can upload, bounded by a byte budget. When full it
 * evicts first what is already behind the playhead, then the least recently used.
 */
export class SegmentStore {
  private readonly entries = new Map<SegmentKey, Entry>();
  private size = 0;
  private tick = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly listener: StoreListener,
    private readonly playheadS: () => number = () => 0,
  ) {}

  get bytes(): number {
    return this.size;
  }

  get count(): number {
    return this.entries.size;
  }

  has(id: SegmentId): boolean {
    return this.entries.has(segmentKey(id));
  }

  get(id: SegmentId): Uint8Array | undefined {
    const entry = this.entries.get(segmentKey(id));
    if (entry) entry.lastUsed = ++this.tick;
    return entry?.bytes;
  }

  ids(): SegmentId[] {
    return [...this.entries.values()].map((e) => e.id);
  }

  put(id: SegmentId, bytes: Uint8Array, startS?: number): void {
    if (bytes.length > this.maxBytes) return;
    const key = segmentKey(id);
    if (this.entries.has(key)) return;
    this.entries.set(key, { id, bytes, startS, lastUsed: ++this.tick });
    this.size += bytes.length;
    const evicted = this.evictDownTo(this.maxBytes, key);
    this.listener.added(id);
    if (evicted.length > 0) this.listener.evicted(evicted);
  }

  /** Drops every segment that starts before cutoffS (media time); live viewers never ask for those. */
  trimBehind(cutoffS: number): void {
    const evicted: SegmentId[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.startS === undefined || entry.startS >= cutoffS) continue;
      this.entries.delete(key);
      this.size -= entry.bytes.length;
      evicted.push(entry.id);
    }
    if (evicted.length > 0) this.listener.evicted(evicted);
  }

  clear(): void {
    const ids = this.ids();
    this.entries.clear();
    this.size = 0;
    if (ids.length > 0) this.listener.evicted(ids);
  }

  private evictDownTo(limit: number, keep: SegmentKey): SegmentId[] {
    if (this.size <= limit) return [];
    const playhead = this.playheadS();
    const victims = [...this.entries.entries()]
      .filter(([key]) => key !== keep)
      .sort(([, a], [, b]) => evictionRank(a, playhead) - evictionRank(b, playhead) || a.lastUsed - b.lastUsed);
    const evicted: SegmentId[] = [];
    for (const [key, entry] of victims) {
      if (this.size <= limit) break;
      this.entries.delete(key);
      this.size -= entry.bytes.length;
      evicted.push(entry.id);
    }
    return evicted;
  }
}

/** 0 = behind the playhead (evict first), 1 = unknown position, 2 = ahead (keep longest). */
function evictionRank(entry: Entry, playheadS: number): number {
  if (entry.startS === undefined) return 1;
  return entry.startS < playheadS ? 0 : 2;
}
