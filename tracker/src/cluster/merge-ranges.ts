/**
 * The cluster's time ranges: nodes' buckets start on the same wall-clock multiples (buckets.ts),
 * so the cluster's bucket at t is the sum of every node's bucket at t (viewers too: each viewer
 * is counted by the node holding its WebSocket). Snapshots are parsed again, as any node's are;
 * a node without ranges (an older version) adds nothing. Pure.
 */
import { addTotals, parseBucket, RANGE_NAMES, RANGES, zeroTotals, type Bucket, type RangeName, type Totals } from '../stats/buckets.js';
import { parseQoe } from '../stats/qoe-counts.js';

export function mergeRanges(all: readonly unknown[]): Record<RangeName, Bucket[]> {
  const out = {} as Record<RangeName, Bucket[]>;
  for (const name of RANGE_NAMES) {
    const byT = new Map<number, Bucket>();
    for (const ranges of all) {
      const list = typeof ranges === 'object' && ranges !== null ? (ranges as Record<string, unknown>)[name] : undefined;
      if (!Array.isArray(list)) continue;
      for (const raw of list as unknown[]) {
        const b = parseBucket(raw, RANGES[name].bucketMs);
        if (b === undefined) continue;
        const into = byT.get(b.t);
        if (into === undefined) byT.set(b.t, b);
        else addTotals(into, b, 'sum');
      }
    }
    out[name] = [...byT.values()].sort((a, b) => a.t - b.t).slice(-RANGES[name].count);
  }
  return out;
}

/** Adds one node's per-swarm range sums (each range's totals) into `into`. */
export function addSwarmRanges(into: Record<RangeName, Totals>, from: unknown): void {
  if (typeof from !== 'object' || from === null) return;
  for (const name of RANGE_NAMES) {
    const t = parseTotals((from as Record<string, unknown>)[name]);
    if (t !== undefined) addTotals(into[name], t, 'sum');
  }
}

export function zeroRanges(): Record<RangeName, Totals> {
  const out = {} as Record<RangeName, Totals>;
  for (const name of RANGE_NAMES) out[name] = zeroTotals();
  return out;
}

function parseTotals(raw: unknown): Totals | undefined {
  // A bucket without its start time: reuse the bucket parser with t = 0.
  const b = typeof raw === 'object' && raw !== null ? parseBucket({ ...raw, t: 0 }, 1) : undefined;
  if (b === undefined) return undefined;
  const peered = parseQoe(b.peered);
  const alone = parseQoe(b.alone);
  return peered && alone
    ? { viewers: b.viewers, httpBytes: b.httpBytes, p2pBytes: b.p2pBytes, uploadBytes: b.uploadBytes, peered, alone }
    : undefined;
}
