/**
 * The graceful stop: refuse newcomers, tell every WebSocket client (close 1001), let HTTP requests
 * in flight finish for up to shutdownGraceMs (closing keep-alive sockets as they go idle), then cut
 * whatever is left; then the final steps (cluster, stats state file). Runs once, however often
 * close() is called.
 */
import { CloseCode } from '../ws/frame-parser.js';

/** The HTTP server's side of a drain (node:http Server). */
export interface DrainableServer {
  close(done: () => void): void;
  closeIdleConnections(): void;
  closeAllConnections(): void;
}

export interface ClosableConnection {
  close(code: CloseCode, reason: string): void;
  destroy(): void;
}

export interface ShutdownClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: ShutdownClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ShutdownSteps {
  readonly server: DrainableServer;
  connections(): Iterable<ClosableConnection>;
  readonly graceMs: number;
  /** Before anything else (stop the timers, log). */
  begin(): void;
  /** Once HTTP is closed (cluster, final stats, state file). */
  finish(): Promise<void>;
}

/** How often idle keep-alive sockets are closed while requests finish. */
const POLL_MS = 20;

export type ShutdownPhase = 'running' | 'draining' | 'stopped';

export class Shutdown {
  private current: ShutdownPhase = 'running';
  private done: Promise<void> | undefined;

  constructor(
    private readonly steps: ShutdownSteps,
    private readonly clock: ShutdownClock = realClock,
  ) {}

  get phase(): ShutdownPhase {
    return this.current;
  }

  get closing(): boolean {
    return this.current !== 'running';
  }

  close(): Promise<void> {
    return (this.done ??= this.run());
  }

  private async run(): Promise<void> {
    this.current = 'draining';
    const { server, graceMs } = this.steps;
    this.steps.begin();
    let httpClosed = false;
    const httpDone = new Promise<void>((resolve) => server.close(resolve)).then(() => {
      httpClosed = true;
    });
    server.closeIdleConnections();
    for (const c of this.steps.connections()) c.close(CloseCode.GoingAway, 'tracker shutting down');
    const deadline = this.clock.now() + graceMs;
    while (!httpClosed && this.clock.now() < deadline) {
      await this.clock.sleep(POLL_MS);
      server.closeIdleConnections();
    }
    if (!httpClosed) {
      for (const c of this.steps.connections()) c.destroy();
      server.closeAllConnections();
    }
    await httpDone;
    await this.steps.finish();
    this.current = 'stopped';
  }
}
