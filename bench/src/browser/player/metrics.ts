import type { EngineEvents } from '@shoal/core';
import type { BuiltCounts, PlayerPageMetrics } from '../page-contract.js';

/** Caps on the page's logs, so a long run cannot grow the page without bound. */
export const LOG_LIMITS = { warnings: 200, healthLog: 500, errorLog: 200, segments: 2000, stallLog: 500, fragLoading: 500 } as const;

/** The page's window.__metrics before anything happened: every field the type has, none it lacks. */
export function emptyPlayerMetrics(loadStartedAt: number, startupSteps: Record<string, number>, built: BuiltCounts): PlayerPageMetrics {
  return {
    loadStartedAt,
    firstFrameMs: null,
    requestsBeforeFirstFrame: null,
    waiting: 0,
    bufferStalledErrors: 0,
    fatalErrors: [],
    fragBytes: 0,
    fragCount: 0,
    segments: [],
    levelSwitches: [],
    levels: [],
    errors: [],
    errorLog: [],
    warnings: [],
    healthLog: [],
    latencyS: [],
    startupSteps,
    built,
    disconnects: {},
    stallLog: [],
    integrity: { connected: {}, corrupted: [], misbehaved: [], fragHashes: [] },
    shoal: null,
  };
}

/** One delivered segment in the page's log (the last LOG_LIMITS.segments), with the buffer ahead when it came. */
export function recordSegment(metrics: PlayerPageMetrics, t: number, e: EngineEvents['segment-loaded'], bufferS: number): void {
  metrics.segments.push({
    t,
    track: e.id.track,
    seq: e.id.seq,
    source: e.source,
    ms: Math.round(e.ms),
    plan: e.plan,
    why: e.httpReason,
    buffer: Math.round(10 * bufferS) / 10,
  });
  if (metrics.segments.length > LOG_LIMITS.segments) metrics.segments.shift();
}
