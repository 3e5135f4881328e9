/**
 * What the bench's player page (player/main.ts) keeps in window.__metrics, as one type for the
 * page that writes it and for the bench that reads it (run/page-metrics.ts). Node peers report
 * the common part (ViewerMetrics). Types only: nothing here runs in either place.
 * A new page metric goes here and into emptyPlayerMetrics (player/metrics.ts); the compiler
 * holds the two together.
 */
import type { MisbehaviorCode, ShoalLiveStats } from '@shoal/hlsjs';

/** The Shoal numbers every viewer reports; storeBytes and abandonedBytes are absent from older result files. */
export type ViewerShoalStats = Pick<
  ShoalLiveStats,
  | 'httpBytes'
  | 'p2pBytes'
  | 'uploadBytes'
  | 'rejectedBytes'
  | 'peers'
  | 'segmentsFromHttp'
  | 'segmentsFromPeers'
  | 'stalls'
  | 'stallMs'
  | 'playingMs'
> &
  Partial<Pick<ShoalLiveStats, 'abandonedBytes' | 'storeBytes'>>;

/** What any viewer reports, a Chromium page or a Node peer; the fields only pages have are optional. */
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
  /** Shoal's warnings and health changes (the first 200), e.g. a missing hash manifest. */
  warnings?: PageWarning[];
  /** Every change of Shoal's device-health level (the first 500), with P2P off too. */
  healthLog?: HealthEntry[];
  /** URLs the page fetched (responses in) before its first frame. */
  requestsBeforeFirstFrame?: string[] | null;
  /**
   * The first time each startup step happened, ms since the page started: hls.js events,
   * TRACKER_SOCKET and PEER_CONNECTION (the first WebSocket and RTCPeerConnection the page
   * created), PEER_CONNECTED (Shoal's first peer).
   */
  startupSteps?: Record<string, number>;
  /** WebSockets and RTCPeerConnections the page built (offers never answered included). */
  built?: BuiltCounts;
  /** Peer connections Shoal closed or lost, by reason (`peer-disconnected` codes). */
  disconnects?: Record<string, number>;
  /** Every segment Shoal delivered (the last 2000): why it went where it went. */
  segments?: SegmentEvent[];
  /** Every stall after the first frame (the first 500): when, and the fragment playback waited for. */
  stallLog?: PageStall[];
  shoal: ViewerShoalStats | null;
}

/** Exactly what the player page writes: every page-only field is there. */
export interface PlayerPageMetrics extends PageMetrics {
  /** performance.now() when the page started (before any library loaded). */
  loadStartedAt: number;
  warnings: PageWarning[];
  healthLog: HealthEntry[];
  requestsBeforeFirstFrame: string[] | null;
  startupSteps: Record<string, number>;
  built: BuiltCounts;
  disconnects: Record<string, number>;
  segments: SegmentEvent[];
  stallLog: PageStall[];
  /** hls.js errors (the first 200) with the fragment they concern. */
  errorLog: ErrorEntry[];
  integrity: IntegrityEvidence;
  shoal: ShoalLiveStats | null;
}

export interface HealthEntry {
  /** Ms since the page started. */
  t: number;
  level: 'healthy' | 'strained' | 'struggling' | 'critical';
  reason: string;
  value: number;
}

export interface PageWarning {
  /** Ms since the page started. */
  t: number;
  message: string;
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

/** An hls.js error as the page logs it. */
export interface ErrorEntry {
  t: number;
  details: string;
  fatal: boolean;
  code: number | undefined;
  sn: number | string | undefined;
  level: number | undefined;
}

/** What the page saw of peers and of the bytes hls.js got: the integrity tests' evidence. */
export interface IntegrityEvidence {
  /** ms since page load at which each peer id connected. */
  connected: Record<string, number>;
  corrupted: Array<{ t: number; track: number; seq: number; peerIds: string[]; bytes: number }>;
  misbehaved: Array<{ t: number; peerId: string; code: MisbehaviorCode; detail: string }>;
  /** With ?hashFrags=1: the SHA-256 of every media fragment exactly as hls.js received it. */
  fragHashes: Array<{ url: string; range?: [number, number]; level: number; sn: number; size: number; sha256: string }>;
}

/** The globals the page sets for the bench to read (page.evaluate). */
export interface PlayerWindow {
  __metrics: PlayerPageMetrics;
  __shoal: { stats(): ShoalLiveStats };
  /** performance.now() when the page's first script ran, and the startup steps seen so far. */
  __pageStartedAt: number;
  __startupSteps: Record<string, number>;
  /** How many of each the page has built so far. */
  __built: BuiltCounts;
}

/** WebSockets and RTCPeerConnections a page built: each peer connection costs the device setup work, used or not. */
export interface BuiltCounts {
  WebSocket: number;
  RTCPeerConnection: number;
  /** Of the peer connections: those that made an offer, those that ever connected. */
  offers: number;
  connected: number;
}
