/**
 * A CPU budget for every fuzz case: hostile input must cost the victim time bounded by its size
 * and our limits, so a case that spends more than the budget fails like a thrown exception (and
 * is shrunk and reported with its seed the same way). CPU time, not wall time, so a loaded
 * machine does not fail a case; a case over budget runs once more and fails only if it is over
 * again, so one garbage collection or JIT compile landing in it does not either.
 */
import type fc from 'fast-check';

/** CPU one fuzz case may cost, in milliseconds (issue #12). */
export const CASE_CPU_BUDGET_MS = 50;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

type Outcome = fc.PreconditionFailure | fc.PropertyFailure | null;

/**
 * The same property, each case measured; one over `budgetMs` twice in a row is a failure.
 * `measured` hears each case's CPU milliseconds (for the slowest-case report).
 */
export function withCpuBudget<T>(
  property: fc.IRawProperty<T>,
  budgetMs = CASE_CPU_BUDGET_MS,
  measured?: (ms: number) => void,
): fc.IRawProperty<T> {
  const measure = (run: () => Outcome | Promise<Outcome>, again: boolean): Outcome | Promise<Outcome> => {
    const started = process.cpuUsage();
    const judge = (outcome: Outcome): Outcome | Promise<Outcome> => {
      const spent = cpuMs(started);
      measured?.(spent);
      if (outcome !== null || spent <= budgetMs) return outcome;
      if (again) return measure(run, false);
      return { error: new Error(`case took ${spent.toFixed(1)} ms of CPU (twice), over its ${budgetMs} ms budget`) };
    };
    const outcome = run();
    return outcome instanceof Promise ? outcome.then(judge) : judge(outcome);
  };
  return {
    isAsync: () => property.isAsync(),
    generate: (random, runId) => property.generate(random, runId),
    shrink: (value) => property.shrink(value),
    run: (value: T) => measure(() => property.run(value), true),
    runBeforeEach: () => property.runBeforeEach(),
    runAfterEach: () => property.runAfterEach(),
  };
}
