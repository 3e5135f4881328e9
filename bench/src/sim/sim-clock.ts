import type { Clock, TimerHandle } from '@shoal/core';

/**
 * A discrete-event clock for whole swarms on simulated time: timers sit in a binary heap (time,
 * then the order they were set), cancelled ones are skipped when they surface, and after every
 * group of timers due at the same instant the promise jobs they started run before time moves on
 * (one macrotask turn drains Node's microtask queue completely). The core's FakeClock scans an
 * array per timer, which is fine for unit tests and quadratic for thousands of engines.
 * Own heap rather than tinyqueue: the sim's hot loop needs cancelled timers skipped in place and a
 * (time, order set) comparison without a closure call per step; it is 40 lines, tested in bench/test/sim-model.test.ts.
 */
interface Timer {
  readonly at: number;
  readonly seq: number;
  fn: (() => void) | undefined;
}

export class SimClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly heap: Timer[] = [];
  /** Timers run so far (for the wall-clock report). */
  fired = 0;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.time + Math.max(0, ms || 0), seq: this.seq++, fn };
    this.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    if (handle && typeof handle === 'object' && 'fn' in handle) (handle as Timer).fn = undefined;
  }

  get pending(): number {
    return this.heap.length;
  }

  /** Runs every timer due up to `until` (ms) in time order; time then stands at `until`. */
  async runUntil(until: number): Promise<void> {
    await drain();
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > until) break;
      this.time = Math.max(this.time, top.at);
      // Every timer due now, then the promise jobs they started, then the next instant.
      while (this.heap[0] && this.heap[0].at <= this.time) {
        const timer = this.pop()!;
        const fn = timer.fn;
        if (!fn) continue;
        timer.fn = undefined;
        this.fired++;
        fn();
      }
      await drain();
    }
    this.time = Math.max(this.time, until);
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = timer;
  }

  private pop(): Timer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** One macrotask turn: Node runs every queued promise job (and the ones they queue) first. */
function drain(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
