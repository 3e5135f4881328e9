import type { Page } from 'puppeteer-core';

/** What the test player page (bench/src/browser/player.html) keeps in window.__metrics. */
export interface PageMetrics {
  firstFrameMs: number | null;
  waiting: number;
  bufferStalledErrors: number;
  fatalErrors: string[];
  errors: string[];
  fragBytes: number;
  fragCount: number;
  levels: number[];
  levelSwitches: number[];
  /** hls.js's bandwidth estimate (bits/s) at the last sample. */
  bandwidthEstimate?: number;
  latencyS: number[];
  /** Shoal's warnings (the first 200), e.g. a missing hash manifest. */
  warnings?: { t: number; message: string }[];
  /** URLs the page fetched (responses in) before its first frame. */
  requestsBeforeFirstFrame?: string[] | null;
  /**
   * The first time each startup step happened, ms since the page started: hls.js events,
   * TRACKER_SOCKET and PEER_CONNECTION (the first WebSocket and RTCPeerConnection the page
   * created), PEER_CONNECTED (Shoal's first peer).
   */
  startupSteps?: Record<string, number>;
  /** Every segment Shoal delivered (the last 2000): why it went where it went. */
  segments?: SegmentEvent[];
  /** Every stall after the first frame (the first 500): when, and the fragment playback waited for. */
  stallLog?: PageStall[];
  shoal: {
    httpBytes: number;
    p2pBytes: number;
    uploadBytes: number;
    rejectedBytes: number;
    /** Bytes of loads hls.js aborted (absent from older builds). */
    abandonedBytes?: number;
    peers: number;
    /** Bytes Shoal holds to serve other viewers (absent from older builds). */
    storeBytes?: number;
    segmentsFromHttp: number;
    segmentsFromPeers: number;
    stalls: number;
    stallMs: number;
    playingMs: number;
  } | null;
}

/** One segment delivered to hls.js, as the player page logs it. */
export interface SegmentEvent {
  /** Ms since the page started loading the stream. */
  t: number;
  track: number;
  seq: number;
  source: 'http' | 'p2p' | 'mixed' | 'cache';
  ms: number;
  /** What the engine decided when hls.js asked: http, p2p or wait. */
  plan: string;
  /** Why bytes came over HTTP (Shoal's HttpReason), when any did. */
  why?: string;
  /** Seconds of media buffered ahead when it arrived. */
  buffer: number;
}

/** One stall as the player page records it (a `waiting` event after the first frame). */
export interface PageStall {
  /** Ms since the page started loading; endT: when it played again (null: still stalled). */
  t: number;
  endT: number | null;
  /** Media time (s) where playback stopped. */
  pos: number;
  /** The main fragment after the buffered end (hls.js level and sn); null when none was found. */
  level: number | null;
  sn: number | null;
  /** When hls.js started loading that fragment (ms since page start); null if it had not. */
  requestedAtMs: number | null;
}

export async function readMetrics(page: Page): Promise<PageMetrics> {
  return page.evaluate(() => {
    const w = window as unknown as { __metrics: unknown; __shoal: { stats(): unknown } };
    const m = w.__metrics as PageMetrics;
    return { ...m, shoal: w.__shoal.stats() as PageMetrics['shoal'] };
  });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
