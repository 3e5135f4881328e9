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
