/** Request and byte accounting of the origin, by kind and by path. */
import type { ByteCount, OriginStats, RequestKind } from './types.js';

const KINDS: RequestKind[] = ['playlist', 'init', 'segment', 'key', 'other'];

/** Kind of a request from its path alone (byte ranges of single-file streams are refined by the server). */
export function classifyPath(path: string): RequestKind {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base.endsWith('.m3u8') || base.endsWith('.m3u') || base.endsWith('.mpd')) return 'playlist';
  if (base.endsWith('.key')) return 'key';
  if (/^init[^/]*\.(mp4|m4s|m4i|cmfv|cmfa)$/.test(base)) return 'init';
  if (/\.(m4s|ts|mp4|m4v|m4a|aac|cmfv|cmfa|mp3|vtt|webvtt)$/.test(base)) return 'segment';
  return 'other';
}

function zero(): ByteCount {
  return { requests: 0, bytes: 0 };
}

export class StatsCollector {
  private total = zero();
  private kinds = new Map<RequestKind, ByteCount>();
  private paths = new Map<string, ByteCount>();
  private since: number;

  constructor(private readonly clock: () => number) {
    this.since = clock();
    this.reset();
  }

  reset(): void {
    this.total = zero();
    this.kinds = new Map(KINDS.map((k) => [k, zero()]));
    this.paths = new Map();
    this.since = this.clock();
  }

  /**
   * Count one request. The returned function adds body bytes at the moment they are written, to
   * the counters current at that moment (bytes written after a reset belong to the new period).
   */
  begin(path: string, kind: RequestKind): (bytes: number) => void {
    for (const b of this.bucketsFor(path, kind)) b.requests++;
    return (bytes: number) => {
      for (const b of this.bucketsFor(path, kind)) b.bytes += bytes;
    };
  }

  private bucketsFor(path: string, kind: RequestKind): ByteCount[] {
    let p = this.paths.get(path);
    if (!p) this.paths.set(path, (p = zero()));
    return [this.total, this.kinds.get(kind)!, p];
  }

  snapshot(): OriginStats {
    const byKind = {} as Record<RequestKind, ByteCount>;
    for (const k of KINDS) byKind[k] = { ...this.kinds.get(k)! };
    const byPath: Record<string, ByteCount> = {};
    for (const [p, c] of [...this.paths].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) byPath[p] = { ...c };
    return { requests: this.total.requests, bytes: this.total.bytes, byKind, byPath, since: this.since };
  }
}
