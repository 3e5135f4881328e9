import type { Clock, TimerHandle } from '../io/interfaces.js';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** A clock that only moves when told to; timers run in time order. For tests and simulation. */
export class FakeClock implements Clock {
  /**
   * Extra ms every timer set from now on fires late, as on a busy device whose event loop is
   * blocked (0: on time). Simulates a slow device in unit tests.
   */
  timerLatenessMs = 0;
  private time = 0;
  private nextId = 1;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms) + this.timerLatenessMs, fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward by ms, running due timers (and the promise jobs they start) in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flushMicrotasks();
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = target;
    await flushMicrotasks();
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
