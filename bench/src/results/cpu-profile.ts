/**
 * Where a page's main thread spent its time, from a V8 CPU profile (DevTools `Profiler`): self
 * time per script of the bench page (Shoal's bundle, hls.js, the page's own code) and per V8
 * pseudo-frame (garbage collector, program, idle). Answers "which step of the chain spends the
 * CPU" with numbers: JavaScript Shoal runs versus what the player and the browser run. Pure.
 */

/** The subset of a DevTools `Profiler.Profile` read here. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string } }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Where self time is booked: one of the page's scripts, or a V8 pseudo-frame. */
export type ProfileBucket = 'shoal' | 'hls.js' | 'page' | 'gc' | 'program' | 'idle' | 'other';

export interface ProfileSummary {
  /** Profiled wall-clock time, ms. */
  readonly spanMs: number;
  /** Self time per bucket, ms. */
  readonly byBucket: Record<ProfileBucket, number>;
  /** The functions with the most self time (idle and program left out). */
  readonly top: readonly { readonly fn: string; readonly bucket: ProfileBucket; readonly selfMs: number }[];
}

const BUCKETS: readonly ProfileBucket[] = ['shoal', 'hls.js', 'page', 'gc', 'program', 'idle', 'other'];

export function bucketOf(callFrame: { functionName: string; url: string }): ProfileBucket {
  const { url, functionName } = callFrame;
  if (url.includes('shoal-hlsjs')) return 'shoal';
  if (url.includes('hls.min.js') || url.includes('/hls.')) return 'hls.js';
  if (url.includes('/player.js') || url.includes('/startup-probe.js')) return 'page';
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(program)') return 'program';
  if (functionName === '(idle)') return 'idle';
  return 'other';
}

export function summarizeProfile(profile: CpuProfile, topN = 15): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the delta to the next sample (V8's own attribution in DevTools).
  for (let i = 0; i < samples.length; i++) {
    const us = Math.max(0, deltas[i + 1] ?? 0);
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + us);
  }
  const byBucket = Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<ProfileBucket, number>;
  const byFunction = new Map<string, { bucket: ProfileBucket; us: number }>();
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id);
    if (!frame) continue;
    const bucket = bucketOf(frame);
    byBucket[bucket] += us;
    if (bucket === 'idle' || bucket === 'program') continue;
    const key = `${frame.functionName || '(anonymous)'} [${bucket}]`;
    const entry = byFunction.get(key) ?? { bucket, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  for (const b of BUCKETS) byBucket[b] = ms(byBucket[b]);
  const top = [...byFunction.entries()]
    .sort((a, b) => b[1].us - a[1].us)
    .slice(0, topN)
    .map(([key, { bucket, us }]) => ({ fn: key.slice(0, key.lastIndexOf(' [')), bucket, selfMs: ms(us) }));
  return { spanMs: ms(profile.endTime - profile.startTime), byBucket, top };
}

/** Bucket totals over many pages' summaries (ms). */
export function sumBuckets(summaries: readonly ProfileSummary[]): Record<ProfileBucket, number> {
  const total = Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<ProfileBucket, number>;
  for (const s of summaries) for (const b of BUCKETS) total[b] += s.byBucket[b];
  for (const b of BUCKETS) total[b] = Math.round(total[b]);
  return total;
}
