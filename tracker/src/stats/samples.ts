/**
 * Timing samples a viewer sends with a stats report (what happened since its previous report),
 * for the /metrics histograms: startup time, stall durations, segment delivery time by source.
 * Bounded per report in count and value, so one report costs a fixed amount whatever it says.
 */

export const SAMPLE_KINDS = ['startupMs', 'stallMs', 'httpMs', 'p2pMs'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];
export type Samples = Partial<Record<SampleKind, readonly number[]>>;

/** Most samples of one kind in one report (the SDK keeps the latest this many). */
export const MAX_SAMPLES_PER_KIND = 16;
/** Largest sample accepted: 10 minutes. */
export const MAX_SAMPLE_MS = 600_000;

export type SamplesParse = { readonly ok: true; readonly samples: Samples } | { readonly ok: false; readonly error: string };

export function parseSamples(v: unknown): SamplesParse {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'samples must be an object' };
  const out: Partial<Record<SampleKind, number[]>> = {};
  for (const [key, list] of Object.entries(v as Record<string, unknown>)) {
    if (!(SAMPLE_KINDS as readonly string[]).includes(key))
      return { ok: false, error: `samples.${key} is not one of ${SAMPLE_KINDS.join(', ')}` };
    if (!Array.isArray(list) || list.length > MAX_SAMPLES_PER_KIND)
      return { ok: false, error: `samples.${key} must be an array of at most ${MAX_SAMPLES_PER_KIND} numbers` };
    if (!list.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_SAMPLE_MS)) {
      return { ok: false, error: `samples.${key} must hold numbers from 0 to ${MAX_SAMPLE_MS} (ms)` };
    }
    if (list.length > 0) out[key as SampleKind] = list as number[];
  }
  return { ok: true, samples: out };
}

/**
 * What of a report's samples counts: startup only from a session's first report and at most one
 * (a viewer starts once per session), stalls no more than the stalls the report adds (plus one
 * that began before it), each at most the time elapsed since the previous report.
 */
export function plausibleSamples(s: Samples, firstReport: boolean, newStalls: number, elapsedMs: number): Samples {
  const within = (list: readonly number[] | undefined, most: number) => (list ?? []).filter((x) => x <= elapsedMs).slice(0, most);
  const out: Partial<Record<SampleKind, number[]>> = {
    startupMs: firstReport ? within(s.startupMs, 1) : [],
    stallMs: within(s.stallMs, newStalls + 1),
    httpMs: within(s.httpMs, MAX_SAMPLES_PER_KIND),
    p2pMs: within(s.p2pMs, MAX_SAMPLES_PER_KIND),
  };
  for (const k of SAMPLE_KINDS) if (out[k]!.length === 0) delete out[k];
  return out;
}
