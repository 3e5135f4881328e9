/** Messages between the bench process and a node-peer worker process (over the IPC channel). */
import type { PageMetrics } from '../run/page-metrics.js';

export interface WorkerConfig {
  readonly streamUrl: string;
  /** Undefined: P2P off. */
  readonly trackerUrl: string | undefined;
  readonly level: 'top' | number;
  readonly shoalConfig?: Record<string, unknown>;
  /** The worker exits by itself after this long, whatever happens to the bench process. */
  readonly maxLifetimeMs: number;
  /** Print every peer's warnings and errors to stderr. */
  readonly verbose: boolean;
}

export interface ProcessStats {
  /** CPU seconds (user + system) used by the worker process so far. */
  readonly cpuS: number;
  readonly heapMB: number;
  readonly rssMB: number;
  /** Peers running in the worker right now. */
  readonly peers: number;
  /** Errors no handler caught (logged, and the worker carried on). */
  readonly uncaughtErrors: number;
}

export interface PeerReport {
  readonly index: number;
  readonly metrics: PageMetrics;
}

export type ToWorker =
  | { readonly type: 'init'; readonly config: WorkerConfig }
  | { readonly type: 'join'; readonly index: number }
  | { readonly type: 'leave'; readonly index: number }
  | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'snapshot'; readonly peers: readonly PeerReport[]; readonly proc: ProcessStats }
  | { readonly type: 'left'; readonly peer: PeerReport }
  | { readonly type: 'final'; readonly peers: readonly PeerReport[]; readonly proc: ProcessStats };
