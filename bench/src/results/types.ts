import type { HealthSummary } from './health.js';
import type { ProbeSummary } from '../run/startup-probes.js';
import type { StallCauses } from './stalls.js';
import type { RatioInterval } from './uncertainty.js';
/** The shape of result.json: what one bench run measured (README "What the numbers mean"). */

export interface RunParams {
  readonly mode: 'vod' | 'live';
  /** Chromium pages and node peers in the run. */
  readonly pages: number;
  readonly nodePeers: number;
  readonly durationS: number;
  readonly staggerS: number;
  readonly p2p: boolean;
  readonly churn: number;
  /** Chromium CPU slowdown of every page (1: none); absent from older results. */
  readonly cpuThrottle?: number;
  /** Whether the bench's origin served HTTPS; absent from older results. */
  readonly https?: boolean;
  /** Live: segments in the bench origin's playlist; absent for VOD, a --stream URL, and older results. */
  readonly liveWindow?: number;
  readonly streamUrl: string;
  readonly shoalConfig?: Record<string, unknown>;
}

export interface PeerResult {
  readonly index: number;
  readonly kind: 'page' | 'node';
  readonly joinedAtS: number;
  readonly closedAtS: number | null;
  /** Segment bytes by source, as the SDK counted them. */
  readonly httpBytes: number;
  readonly p2pBytes: number;
  readonly uploadBytes: number;
  readonly rejectedBytes: number;
  /** Media bytes the player (hls.js, or the node playhead) received. */
  readonly playerBytes: number;
  readonly segments: number;
  /** p2p / (p2p + http) for this viewer. */
  readonly offload: number;
  readonly stalls: number;
  readonly stallMs: number;
  /** Minutes watched: from the first frame until the viewer left or the run ended. */
  readonly watchedMin: number;
  /** ms from page load (node peer start) to the first frame; null if it never played. */
  readonly startupMs: number | null;
  /** Median seconds behind the live edge (live only). */
  readonly liveLatencyS: number | null;
  /** MB: a page's renderer process PSS (its JS heap where /proc is missing); a node peer's share of its worker's heap. */
  readonly memoryMB: number | null;
  /** CPU seconds: a page's renderer process (its main-thread task time where /proc is missing); a node peer's share of its worker. */
  readonly cpuS: number | null;
  /** Peer connections open at the last snapshot. */
  readonly connections: number;
  /** RTCPeerConnections the page built (offers, answers, refused ones), null for node peers. */
  readonly peerConnectionsBuilt: number | null;
  /** Of those, how many made an offer and how many ever connected (null for node peers). */
  readonly peerConnectionsOffered: number | null;
  readonly peerConnectionsConnected: number | null;
  /** Peer connections Shoal closed or lost, by reason (null for node peers and older pages). */
  readonly peerDisconnects: Readonly<Record<string, number>> | null;
  /** Renditions (hls.js level indexes) it loaded segments of. */
  readonly levels: number[];
  readonly fatalErrors: string[];
  /** First few non-fatal errors, and how many there were. */
  readonly errors: string[];
  readonly errorCount: number;
  /** How the device kept up, by Shoal's health probe (P2P off too); null for Node peers. */
  readonly health: HealthSummary | null;
}

export interface TimelinePoint {
  /** Seconds since the run started. */
  readonly t: number;
  /** Viewers playing at that moment. */
  readonly viewers: number;
  readonly httpBytes: number;
  readonly p2pBytes: number;
  /** Cumulative offload so far, and over the last few seconds. */
  readonly offload: number;
  readonly recentOffload: number | null;
  readonly stalls: number;
  /** Busy share of all CPU cores of the machine since the previous point, 0..100. */
  readonly cpuPercent: number | null;
  /** Median over open pages: renderer process memory (PSS, else JS heap) and JS heap, MB. */
  readonly pageMemoryMB: number | null;
  readonly pageHeapMB: number | null;
  /** Median over open pages: bytes in Shoal's segment store, MB. */
  readonly pageStoreMB?: number | null;
}

/**
 * Whether a page's memory stays flat: least-squares slopes of the median page's memory over the
 * part of the run after every viewer joined and the buffers filled.
 */
export interface MemoryTrend {
  readonly fromS: number;
  readonly toS: number;
  readonly startMB: number;
  readonly endMB: number;
  readonly slopeMBPerMin: number;
  readonly heapStartMB: number | null;
  readonly heapEndMB: number | null;
  readonly heapSlopeMBPerMin: number | null;
  /** Shoal's own segment store (median page): its largest and last size over the window. */
  readonly storeMaxMB: number | null;
  readonly storeEndMB: number | null;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** A failed 'fail' check fails the run (exit code 1); 'warn' is reported only. */
  readonly severity: 'fail' | 'warn';
  readonly detail: string;
}

export interface NodeWorkerStats {
  readonly cpuS: number;
  readonly heapMB: number;
  readonly rssMB: number;
  readonly peers: number;
  readonly uncaughtErrors: number;
  /** Longest time the worker went without reporting (it reports every second). */
  readonly maxSilenceS: number;
}

export interface CpuSummary {
  readonly cores: number;
  /** Busy share of all cores over the run, and the highest one-second value, 0..100. */
  readonly avgPercent: number | null;
  readonly peakPercent: number | null;
  /** Median CPU seconds per viewer (see PeerResult.cpuS). */
  readonly perPeerCpuSMedian: number | null;
}

export interface BenchResult {
  readonly kind: 'run';
  readonly ok: boolean;
  readonly startedAt: string;
  readonly label: string;
  readonly params: RunParams;
  readonly mode: 'vod' | 'live';
  /** Viewers in the run: pages + node peers. */
  readonly peers: number;
  readonly durationS: number;
  readonly elapsedS: number;
  /** Everything the origin served (playlists, init, segments); null when it cannot be read. */
  readonly originBytes: number | null;
  readonly originSegmentBytes: number | null;
  readonly originSegmentRequests: number | null;
  /** Origin segment requests per distinct segment URL requested (1.0 = each fetched once). */
  readonly originFetchesPerSegment: number | null;
  readonly httpBytes: number;
  readonly p2pBytes: number;
  readonly uploadBytes: number;
  readonly rejectedBytes: number;
  readonly playerBytes: number;
  /** p2p / (p2p + http), from the SDK's counters. */
  readonly offload: number;
  /** 1 - origin segment bytes / bytes the players received: the same ratio seen from the origin. */
  readonly offloadByOrigin: number | null;
  /** (N-1)/N: the best possible when one viewer must fetch everything once. */
  readonly offloadLimit: number;
  readonly stalls: number;
  readonly stallMs: number;
  /** Stalled seconds, summed over viewers (stallMs / 1000). */
  readonly stalledS: number;
  /** Minutes watched, summed over viewers, and stalls per minute watched (null: nobody watched). */
  readonly viewerMinutes: number;
  readonly stallsPerViewerMinute: number | null;
  /** Mean share of watched time the viewers' devices were below healthy (Shoal's health probe). */
  readonly strainedShare: number | null;
  /** Why the recorded stalls happened (segments.json has each one); Chromium pages only. */
  readonly stallCauses: StallCauses;
  readonly startupMsMedian: number | null;
  readonly startupMsMax: number | null;
  /** Viewers that never showed a frame. */
  readonly neverStarted: number;
  readonly fatalErrors: number;
  readonly liveLatencyS: number | null;
  readonly cpu: CpuSummary;
  readonly memoryPerPageMB: number | null;
  /** Node-peer worker processes at the end: CPU seconds, heap and RSS MB, peers, uncaught errors. */
  readonly nodeWorkers: NodeWorkerStats[];
  readonly perPeer: PeerResult[];
  readonly timeline: TimelinePoint[];
  /** Null when the run was too short to tell (under a minute past the last join). */
  readonly memoryTrend: MemoryTrend | null;
  /** --startup-probes: first-frame medians of probe pages joining the running swarm, HTTP only and P2P, same load. */
  readonly startupProbes: ProbeSummary | null;
  readonly checks: Check[];
}

export interface CompareResult {
  readonly kind: 'compare';
  readonly ok: boolean;
  readonly off: BenchResult;
  readonly on: BenchResult;
  /** P2P-on value / P2P-off value for each number (null where undefined or divided by 0). */
  readonly ratios: Record<string, number | null>;
  /**
   * Where the startup median ratio lies at 90% confidence given how first frames spread in the
   * two runs (bootstrap over their viewers): a wide band means two runs cannot settle it.
   */
  readonly startupRatioInterval: RatioInterval | null;
  /** Origin bytes P2P saved, and as a share of the P2P-off origin bytes. */
  readonly savedOriginBytes: number | null;
  readonly savedOriginShare: number | null;
  /** Viewers that stalled more with P2P than their P2P-off twin (same index, same join time); absent from older results. */
  readonly worseThanTwin?: TwinStalls[];
}

export interface TwinStalls {
  readonly index: number;
  readonly on: { readonly stalls: number; readonly stallMs: number };
  readonly off: { readonly stalls: number; readonly stallMs: number };
}
