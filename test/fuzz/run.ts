/**
 * The long fuzz run (`npm run fuzz`): each target for --runs cases (default 100 000), in chunks
 * with fixed seeds so a failure can be replayed, checking after every chunk that the heap has not
 * grown (run with --expose-gc for exact numbers; npm run fuzz does). Every case has a CPU budget
 * (cpu-budget.ts): one that costs more fails. Exits 1 on the first failure.
 *
 *   npm run fuzz -- --runs 200000 --target peer --seed 7
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { CASE_CPU_BUDGET_MS, withCpuBudget } from './cpu-budget.js';
import { decoderProperty, peerProperty } from './peer-targets.js';
import { trackerProperty, wsBytesProperty } from './tracker-targets.js';

const TARGETS = {
  decoder: { property: decoderProperty, what: 'peer protocol decoder: random, damaged and valid frames' },
  peer: { property: peerProperty, what: 'Peer state machine: scripts of up to 40 frames and local calls' },
  tracker: { property: trackerProperty, what: 'tracker message handler: conversations of up to 25 messages on 4 connections' },
  ws: { property: wsBytesProperty, what: 'tracker WebSocket frame parser: random bytes and frames' },
} as const;
type Target = keyof typeof TARGETS;

const CHUNKS = 10;
const MAX_HEAP_GROWTH_MB = 64;

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '100000' }, target: { type: 'string', default: 'all' }, seed: { type: 'string', default: '1' } },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
if (!Number.isInteger(runs) || runs < CHUNKS) throw new Error(`--runs must be an integer of at least ${CHUNKS}`);
const chosen = (values.target === 'all' ? Object.keys(TARGETS) : [values.target]) as Target[];
for (const t of chosen) if (!(t in TARGETS)) throw new Error(`--target must be one of all, ${Object.keys(TARGETS).join(', ')}`);

const gc = (globalThis as { gc?: () => void }).gc;
/** Heap in use once what the event loop still holds is let go: pending ticks run, and the tracker's 2 s socket-close timers (after `settleMs`). */
const heapMB = async (settleMs = 0) => {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

let failed = false;
for (const name of chosen) {
  const { property, what } = TARGETS[name];
  const started = performance.now();
  const baseline = await heapMB();
  let peak = baseline;
  let done = 0;
  let slowestMs = 0;
  try {
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const numRuns = Math.floor(runs / CHUNKS) + (chunk < runs % CHUNKS ? 1 : 0);
      // Same seed, same cases: a failure prints its seed and path, replayable with fc's `path`.
      await fc.assert(withCpuBudget(property as fc.IRawProperty<unknown>, CASE_CPU_BUDGET_MS, (ms) => (slowestMs = Math.max(slowestMs, ms))), { numRuns, seed: seed * 1000 + chunk, endOnFailure: true });
      done += numRuns;
      peak = Math.max(peak, await heapMB());
    }
    const growth = (await heapMB(2500)) - baseline;
    const seconds = (performance.now() - started) / 1000;
    const status = growth > MAX_HEAP_GROWTH_MB ? 'FAIL (heap grew)' : 'ok';
    if (status !== 'ok') failed = true;
    console.log(`${name.padEnd(8)} ${status}: ${done} cases in ${seconds.toFixed(1)} s (${Math.round(done / seconds)}/s); slowest ${slowestMs.toFixed(1)} ms of CPU (budget ${CASE_CPU_BUDGET_MS}); heap ${baseline.toFixed(1)} MB, peak between chunks ${peak.toFixed(1)} MB, ${growth.toFixed(1)} MB more at the end${gc ? '' : ' (no --expose-gc: approximate)'} — ${what}`);
  } catch (error) {
    failed = true;
    console.log(`${name.padEnd(8)} FAIL after ${done} cases: ${(error as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;
