/**
 * Why a viewer stalled: each stall the player recorded, joined with Shoal's segment log on the
 * fragment playback was waiting for, and stall rates per minute watched. Pure (unit-tested in
 * bench/test/stalls.test.ts).
 */
import type { PageStall, SegmentEvent } from '../run/page-metrics.js';

/**
 * - `late-delivery`: hls.js had asked for the fragment and its bytes had not arrived when
 *   playback stopped (`source`, `plan`, `why` say where they came from, and why over HTTP).
 * - `not-requested`: hls.js had not asked for it yet: the player was late, not the delivery.
 * - `delivered-before-stall`: the bytes had arrived; parsing, appending or decoding was late
 *   (on a throttled device, the CPU).
 * - `unidentified`: no fragment after the buffered end (e.g. past the end of a live window).
 */
export type StallCause = 'late-delivery' | 'not-requested' | 'delivered-before-stall' | 'unidentified';
export const STALL_CAUSES: readonly StallCause[] = ['late-delivery', 'not-requested', 'delivered-before-stall', 'unidentified'];

export interface AttributedStall {
  /** Ms since the page started loading, and how long playback stood still (null: until the end). */
  readonly t: number;
  readonly ms: number | null;
  readonly pos: number;
  readonly level: number | null;
  readonly sn: number | null;
  readonly cause: StallCause;
  /** When hls.js asked for the fragment, and when Shoal handed it over (null: not by the end). */
  readonly requestedAtMs: number | null;
  readonly deliveredAtMs: number | null;
  /** Whether the fragment's load was under way when playback stopped. */
  readonly inFlight: boolean;
  /** From Shoal's segment log, when it delivered the fragment. */
  readonly source: SegmentEvent['source'] | null;
  readonly plan: string | null;
  readonly why: string | null;
  readonly loadMs: number | null;
}

/** The delivery of (level, sn) that answered hls.js's request: the first at or after it. */
function deliveryOf(stall: PageStall, segments: readonly SegmentEvent[]): SegmentEvent | undefined {
  const matching = segments.filter((s) => s.track === stall.level && s.seq === stall.sn);
  const from = stall.requestedAtMs;
  if (from !== null) return matching.find((s) => s.t >= from);
  return matching.find((s) => s.t >= stall.t) ?? matching[matching.length - 1];
}

export function attributeStall(stall: PageStall, segments: readonly SegmentEvent[]): AttributedStall {
  const delivery = stall.sn === null ? undefined : deliveryOf(stall, segments);
  const requested = stall.requestedAtMs ?? (delivery ? delivery.t - delivery.ms : null);
  const deliveredBefore = delivery !== undefined && delivery.t <= stall.t;
  const askedBefore = requested !== null && requested <= stall.t;
  const cause: StallCause =
    stall.sn === null ? 'unidentified' : deliveredBefore ? 'delivered-before-stall' : askedBefore ? 'late-delivery' : 'not-requested';
  return {
    t: stall.t,
    ms: stall.endT === null ? null : stall.endT - stall.t,
    pos: stall.pos,
    level: stall.level,
    sn: stall.sn,
    cause,
    requestedAtMs: requested,
    deliveredAtMs: delivery?.t ?? null,
    inFlight: askedBefore && !deliveredBefore,
    source: delivery?.source ?? null,
    plan: delivery?.plan ?? null,
    why: delivery?.why ?? null,
    loadMs: delivery?.ms ?? null,
  };
}

export function attributeStalls(stalls: readonly PageStall[], segments: readonly SegmentEvent[]): AttributedStall[] {
  return stalls.map((stall) => attributeStall(stall, segments));
}

/** Stalls by cause, late deliveries also by where the bytes came from ('none': not delivered by the end). */
export interface StallCauses {
  readonly byCause: Record<StallCause, number>;
  readonly lateBySource: Record<string, number>;
}

export function countCauses(stalls: readonly AttributedStall[]): StallCauses {
  const byCause = Object.fromEntries(STALL_CAUSES.map((c) => [c, 0])) as Record<StallCause, number>;
  const lateBySource: Record<string, number> = {};
  for (const stall of stalls) {
    byCause[stall.cause]++;
    if (stall.cause === 'late-delivery') {
      const key = stall.source ?? 'none';
      lateBySource[key] = (lateBySource[key] ?? 0) + 1;
    }
  }
  return { byCause, lateBySource };
}

/** Minutes a viewer watched: from its first frame until it left or the run ended (0 if it never played). */
export function watchedMinutes(viewer: { joinedAtS: number; closedAtS: number | null; startupMs: number | null }, endS: number): number {
  if (viewer.startupMs === null) return 0;
  const from = viewer.joinedAtS + viewer.startupMs / 1000;
  return Math.max(0, (viewer.closedAtS ?? endS) - from) / 60;
}

/** Stalls per viewer-minute watched; null when nobody watched. */
export function perViewerMinute(stalls: number, viewerMinutes: number): number | null {
  return viewerMinutes > 0 ? stalls / viewerMinutes : null;
}

/** One line, e.g. "2 late-delivery (1 p2p, 1 http), 1 delivered-before-stall". */
export function describeCauses(causes: StallCauses): string {
  const parts = STALL_CAUSES.filter((c) => causes.byCause[c] > 0).map((c) => {
    const sources =
      c === 'late-delivery'
        ? Object.entries(causes.lateBySource)
            .map(([source, count]) => `${count} ${source}`)
            .join(', ')
        : '';
    return `${causes.byCause[c]} ${c}${sources ? ` (${sources})` : ''}`;
  });
  return parts.length ? parts.join(', ') : 'none recorded by the player';
}
