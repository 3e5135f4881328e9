/**
 * Node peers for a run, spread over a few worker processes (bench/src/node-peer/worker.ts), so
 * one run can hold far more viewers than Chromium pages allow. The workers are forked with tsx
 * and the webrtc-polyfill redirect to @roamhq/wrtc (@shoal/test-kit's node/register.js).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NODE_WEBRTC_REGISTER } from '@shoal/test-kit';
import type { FromWorker, ProcessStats, ToWorker, WorkerConfig } from '../node-peer/messages.js';
import type { PageMetrics } from './page-metrics.js';

const WORKER = fileURLToPath(new URL('../node-peer/worker.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const READY_TIMEOUT_MS = 30_000;
const LEAVE_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 10_000;

interface Worker {
  readonly child: ChildProcess;
  proc: ProcessStats | undefined;
  /** When its last report arrived, and the longest silence between two (ms). */
  lastReportAt: number;
  maxSilenceMs: number;
  exited: boolean;
  final: Promise<void>;
}

export interface WorkerStats extends ProcessStats {
  /** Longest gap between two reports of the worker, seconds (they come every second). */
  readonly maxSilenceS: number;
}

export interface NodeGroupOptions extends Omit<WorkerConfig, 'maxLifetimeMs' | 'verbose'> {
  readonly workers: number;
  /** Hard limit for the workers' lifetime (they exit by themselves after it). */
  readonly maxLifetimeMs: number;
}

export class NodePeerGroup {
  private readonly latest = new Map<number, PageMetrics>();
  private readonly placement = new Map<number, Worker>();
  private readonly waitingLeave = new Map<number, (metrics: PageMetrics | undefined) => void>();
  private next = 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-private-class-members -- read as group.closing in start() (typescript-eslint issue 12189)
  private closing = false;
  private closed: Promise<void> | undefined;

  private constructor(private readonly workers: Worker[]) {}

  static async start(options: NodeGroupOptions): Promise<NodePeerGroup> {
    const config: WorkerConfig = {
      streamUrl: options.streamUrl,
      trackerUrl: options.trackerUrl,
      level: options.level,
      shoalConfig: options.shoalConfig,
      maxLifetimeMs: options.maxLifetimeMs,
      verbose: Boolean(process.env.SHOAL_NODE_PEER_LOG),
    };
    const workers: Worker[] = [];
    const group = new NodePeerGroup(workers);
    const ready: Array<Promise<void>> = [];
    for (let i = 0; i < Math.max(1, options.workers); i++) {
      const child = fork(WORKER, [], {
        // SHOAL_NODE_WORKER_ARGS: extra Node flags for the workers, e.g. "--report-on-signal" to debug a hang.
        execArgv: [
          '--conditions=source',
          '--import',
          TSX,
          '--import',
          NODE_WEBRTC_REGISTER,
          ...(process.env.SHOAL_NODE_WORKER_ARGS ?? '').split(' ').filter(Boolean),
        ],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      let markFinal!: () => void;
      const worker: Worker = {
        child,
        proc: undefined,
        lastReportAt: 0,
        maxSilenceMs: 0,
        exited: false,
        final: new Promise((resolve) => (markFinal = resolve)),
      };
      workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('node-peer worker did not start in time')), READY_TIMEOUT_MS);
          child.on('message', (raw: unknown) => {
            const message = raw as FromWorker;
            if (message.type === 'ready') {
              worker.lastReportAt = Date.now();
              clearTimeout(timer);
              resolve();
            } else group.receive(worker, message, markFinal);
          });
          child.once('exit', (code, signal) => {
            worker.exited = true;
            clearTimeout(timer);
            markFinal();
            if (!group.closing)
              console.error(`node-peer worker ${i} exited (${signal ?? `code ${code}`}) during the run: its peers stop being measured`);
            reject(new Error(`node-peer worker exited with ${signal ?? `code ${code}`} before it was ready`));
          });
          // An IPC write to a worker that just died must not take the bench down with it.
          child.on('error', (error) => console.error(`node-peer worker ${i}: ${error.message}`));
        }),
      );
      send(child, { type: 'init', config });
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await group.close();
      throw error;
    }
    return group;
  }

  /** Starts node peer `index` on the next worker (round robin). */
  join(index: number): void {
    const worker = this.workers[this.next++ % this.workers.length]!;
    this.placement.set(index, worker);
    send(worker.child, { type: 'join', index });
  }

  /** The peer's metrics as last reported (once a second). */
  metrics(index: number): PageMetrics | undefined {
    return this.latest.get(index);
  }

  /** Share of its worker's CPU seconds and JS heap (MB) one peer accounts for, split evenly. */
  shareOf(index: number): { cpuS: number; heapMB: number } | undefined {
    const proc = this.placement.get(index)?.proc;
    if (!proc || proc.peers === 0) return undefined;
    return { cpuS: proc.cpuS / proc.peers, heapMB: proc.heapMB / proc.peers };
  }

  /**
   * Each worker's own numbers, plus the longest time it went without reporting. @roamhq/wrtc can
   * hang a process that holds many peer connections (node-webrtc issue #697); a silent worker's
   * peers stop being measured, and the run says so.
   */
  processStats(): WorkerStats[] {
    const now = Date.now();
    return this.workers.flatMap((w) => {
      if (!w.proc) return [];
      const silence = w.exited ? w.maxSilenceMs : Math.max(w.maxSilenceMs, now - w.lastReportAt);
      return [{ ...w.proc, maxSilenceS: Math.round(silence / 100) / 10 }];
    });
  }

  /** Workers silent for more than `ms` right now. */
  silentWorkers(ms: number): number[] {
    const now = Date.now();
    return this.workers.flatMap((w, i) => (!w.exited && w.lastReportAt > 0 && now - w.lastReportAt > ms ? [i] : []));
  }

  /** Stops one peer; resolves with its last metrics. */
  leave(index: number): Promise<PageMetrics | undefined> {
    const worker = this.placement.get(index);
    if (!worker || worker.exited) return Promise.resolve(this.latest.get(index));
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(this.latest.get(index)), LEAVE_TIMEOUT_MS);
      const done = (metrics: PageMetrics | undefined) => {
        clearTimeout(timer);
        this.waitingLeave.delete(index);
        resolve(metrics);
      };
      this.waitingLeave.set(index, done);
      send(worker.child, { type: 'leave', index });
    });
  }

  /** Stops every worker; afterwards metrics() holds each peer's final numbers. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.stopAll();
    return this.closed;
  }

  private async stopAll(): Promise<void> {
    this.closing = true;
    for (const worker of this.workers) if (!worker.exited) send(worker.child, { type: 'stop' });
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
    await Promise.race([Promise.all(this.workers.map((w) => w.final)), deadline]);
    for (const worker of this.workers) if (!worker.exited) worker.child.kill('SIGKILL');
  }

  // eslint-disable-next-line @typescript-eslint/no-unused-private-class-members -- called as group.receive() in start() (same issue)
  private receive(worker: Worker, message: FromWorker, markFinal: () => void): void {
    if (message.type === 'snapshot' || message.type === 'final') {
      const now = Date.now();
      if (worker.lastReportAt > 0) worker.maxSilenceMs = Math.max(worker.maxSilenceMs, now - worker.lastReportAt);
      worker.lastReportAt = now;
      worker.proc = message.proc;
      for (const { index, metrics } of message.peers) this.latest.set(index, metrics);
      if (message.type === 'final') markFinal();
    } else if (message.type === 'left') {
      this.latest.set(message.peer.index, message.peer.metrics);
      this.waitingLeave.get(message.peer.index)?.(message.peer.metrics);
    }
  }
}

function send(child: ChildProcess, message: ToWorker): void {
  if (child.connected) child.send(message, (error) => error && console.error(`node-peer worker: ${error.message}`));
}
