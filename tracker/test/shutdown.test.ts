import { describe, expect, it } from 'vitest';
import { Shutdown, type ClosableConnection, type DrainableServer, type ShutdownClock } from '../src/server/shutdown.js';
import { CloseCode } from '../src/ws/frame-parser.js';

/** Time moves only when the shutdown sleeps. */
class FakeClock implements ShutdownClock {
  t = 1000;
  readonly onTick: ((now: number) => void)[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.t += ms;
    for (const f of this.onTick) f(this.t);
    return Promise.resolve();
  }
}

/** An HTTP server whose last request is done at `busyUntil` (or never); close completes after it. */
class FakeServer implements DrainableServer {
  readonly log: string[] = [];
  private done: (() => void) | undefined;

  constructor(
    private readonly clock: FakeClock,
    private readonly busyUntil: number | 'never',
  ) {
    clock.onTick.push(() => this.settle());
  }

  close(done: () => void): void {
    this.log.push('close');
    this.done = done;
    this.settle();
  }
  closeIdleConnections(): void {
    this.log.push('idle');
  }
  closeAllConnections(): void {
    this.log.push('all');
    this.finish();
  }
  private settle(): void {
    if (this.busyUntil !== 'never' && this.clock.t >= this.busyUntil) this.finish();
  }
  private finish(): void {
    const d = this.done;
    this.done = undefined;
    d?.();
  }
}

class FakeConnection implements ClosableConnection {
  closedWith: [number, string] | undefined;
  destroyed = false;
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function setup(busyUntil: number | 'never', graceMs = 1000) {
  const clock = new FakeClock();
  const server = new FakeServer(clock, busyUntil);
  const connections = [new FakeConnection(), new FakeConnection()];
  const steps: string[] = [];
  const shutdown = new Shutdown(
    {
      server,
      connections: () => connections,
      graceMs,
      begin: () => steps.push(`begin ${shutdown.phase}`),
      finish: async () => {
        steps.push(`finish at ${clock.t}, server ${server.log.at(-1)}`);
      },
    },
    clock,
  );
  return { clock, server, connections, steps, shutdown };
}

describe('shutdown', () => {
  it('tells every client (1001), lets HTTP finish within the grace, then runs the final steps once', async () => {
    const { server, connections, steps, shutdown } = setup(1100);
    expect(shutdown.phase).toBe('running');
    expect(shutdown.closing).toBe(false);
    const first = shutdown.close();
    expect(shutdown.closing).toBe(true);
    expect(shutdown.close()).toBe(first);
    await first;
    for (const c of connections) {
      expect(c.closedWith).toEqual([CloseCode.GoingAway, 'tracker shutting down']);
      expect(c.destroyed).toBe(false);
    }
    // Idle keep-alive sockets are closed at once and again while the last request finishes.
    expect(server.log.slice(0, 2)).toEqual(['close', 'idle']);
    expect(server.log.filter((e) => e === 'idle').length).toBeGreaterThan(2);
    expect(server.log).not.toContain('all');
    expect(steps).toEqual(['begin draining', 'finish at 1100, server idle']);
    expect(shutdown.phase).toBe('stopped');
  });

  it('cuts what is left at the end of the grace: WebSocket clients and HTTP sockets', async () => {
    const { clock, server, connections, steps, shutdown } = setup('never', 500);
    await shutdown.close();
    for (const c of connections) expect(c.destroyed).toBe(true);
    expect(server.log.at(-1)).toBe('all');
    expect(clock.t).toBe(1500);
    expect(steps).toEqual(['begin draining', 'finish at 1500, server all']);
  });

  it('with nothing in flight, finishes at the first poll', async () => {
    const { clock, connections, steps, shutdown } = setup(0);
    await shutdown.close();
    expect(clock.t).toBeLessThanOrEqual(1020);
    for (const c of connections) expect(c.destroyed).toBe(false);
    expect(steps).toEqual([`begin draining`, `finish at ${clock.t}, server idle`]);
  });
});
