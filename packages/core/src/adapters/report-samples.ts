/**
 * Timings a viewer collects between two stats reports (startup, each stall, each segment's
 * delivery by source) for the tracker's histograms. Bounded: the latest MAX_SAMPLES_PER_KIND of
 * each kind are kept (the tracker refuses more), so a long gap between reports costs no memory.
 */

export type SampleKind = 'startupMs' | 'stallMs' | 'httpMs' | 'p2pMs';
export type ReportSamples = Partial<Record<SampleKind, number[]>>;

/** Matches the tracker's limit per kind and report. */
export const MAX_SAMPLES_PER_KIND = 16;
/** The tracker's largest sample (10 min); longer ones are sent as this. */
const MAX_SAMPLE_MS = 600_000;

export class SampleBuffer {
  private pending: ReportSamples = {};

  add(kind: SampleKind, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const list = (this.pending[kind] ??= []);
    list.push(Math.min(MAX_SAMPLE_MS, Math.round(ms)));
    if (list.length > MAX_SAMPLES_PER_KIND) list.shift();
  }

  /** What was collected since the last drain, then empty. */
  drain(): ReportSamples {
    const out = this.pending;
    this.pending = {};
    return out;
  }
}
