/**
 * The long fuzz run (`npm run fuzz`, one process per workspace that has targets): each target for
 * --runs cases (default 100 000), in chunks with fixed seeds so a failure can be replayed,
 * checking after every chunk that the heap has not grown (run with --expose-gc for exact numbers;
 * npm run fuzz does). Every case has a CPU budget (cpu-budget.ts): one that costs more fails.
 * Sets exit code 1 on a failure.
 *
 *   npm run fuzz -- --runs 200000 --target peer --seed 7
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { CASE_CPU_BUDGET_MS, withCpuBudget } from './cpu-budget.js';

/** Every target of every workspace, so --target can be checked in each of them. */
export const FUZZ_TARGETS = ['decoder', 'peer', 'tracker', 'ws'] as const;
export type FuzzTargetName = (typeof FUZZ_TARGETS)[number];

export interface FuzzTarget {
  readonly property: fc.IRawProperty<unknown>;
  /** What it throws at what, for the report line. */
  readonly what: string;
}

const CHUNKS = 10;
const MAX_HEAP_GROWTH_MB = 64;

/** Runs this workspace's targets (those --target names, or all of them) from the command line's arguments. */
export async function runFuzzTargets(
  targets: Partial<Record<FuzzTargetName, FuzzTarget>>,
  args: string[] = process.argv.slice(2),
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: 'string', default: '100000' },
      target: { type: 'string', default: 'all' },
      seed: { type: 'string', default: '1' },
    },
  });
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  if (!Number.isInteger(runs) || runs < CHUNKS) throw new Error(`--runs must be an integer of at least ${CHUNKS}`);
  if (values.target !== 'all' && !(FUZZ_TARGETS as readonly string[]).includes(values.target)) {
    throw new Error(`--target must be one of all, ${FUZZ_TARGETS.join(', ')}`);
  }
  const chosen = (Object.keys(targets) as FuzzTargetName[]).filter((name) => values.target === 'all' || values.target === name);

  let failed = false;
  for (const name of chosen) {
    const { property, what } = targets[name]!;
    const started = performance.now();
    const baseline = await heapMB();
    let peak = baseline;
    let done = 0;
    let slowestMs = 0;
    try {
      for (let chunk = 0; chunk < CHUNKS; chunk++) {
        const numRuns = Math.floor(runs / CHUNKS) + (chunk < runs % CHUNKS ? 1 : 0);
        // Same seed, same cases: a failure prints its seed and path, replayable with fc's `path`.
        await fc.assert(
          withCpuBudget(property, CASE_CPU_BUDGET_MS, (ms) => (slowestMs = Math.max(slowestMs, ms))),
          { numRuns, seed: seed * 1000 + chunk, endOnFailure: true },
        );
        done += numRuns;
        peak = Math.max(peak, await heapMB());
      }
      const growth = (await heapMB(2500)) - baseline;
      const seconds = (performance.now() - started) / 1000;
      const status = growth > MAX_HEAP_GROWTH_MB ? 'FAIL (heap grew)' : 'ok';
      if (status !== 'ok') failed = true;
      console.log(
        `${name.padEnd(8)} ${status}: ${done} cases in ${seconds.toFixed(1)} s (${Math.round(done / seconds)}/s); slowest ${slowestMs.toFixed(1)} ms of CPU (budget ${CASE_CPU_BUDGET_MS}); heap ${baseline.toFixed(1)} MB, peak between chunks ${peak.toFixed(1)} MB, ${growth.toFixed(1)} MB more at the end${gcAvailable() ? '' : ' (no --expose-gc: approximate)'} — ${what}`,
      );
    } catch (error) {
      failed = true;
      console.log(`${name.padEnd(8)} FAIL after ${done} cases: ${(error as Error).message}`);
    }
  }
  if (failed) process.exitCode = 1;
}

const gcAvailable = () => typeof (globalThis as { gc?: () => void }).gc === 'function';

/** Heap in use once what the event loop still holds is let go: pending ticks run, and the tracker's 2 s socket-close timers (after `settleMs`). */
async function heapMB(settleMs = 0): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
