import { describe, expect, it } from 'vitest';
import { runFaultScenarios, type FaultOutcome, type FaultScenario } from '../src/run/fault-run.js';

/**
 * A broken origin, seen through Shoal, looks to hls.js exactly as it would without Shoal: the same
 * errors with the same HTTP codes, the same retries (hls.js's fragLoadPolicy), recovery from a
 * transient fault, the same fatal error when it never recovers; never a hang. Each scenario runs
 * the same page twice: plain hls.js (?shoal=0) and hls.js with Shoal.
 */
const SEGMENT = 'seg_00003.m4s'; // both renditions

/** The fragment-load errors hls.js raised, in order: what it was told, and whether it gave up. */
function signature(o: FaultOutcome): string[] {
  return o.metrics.errorLog
    .filter((e) => e.details.startsWith('fragLoad'))
    .map((e) => `${e.details}:${e.code ?? '-'}${e.fatal ? ':fatal' : ''}`);
}

async function compare(scenarios: Array<Omit<FaultScenario, 'plain'>>): Promise<Array<{ plain: FaultOutcome; shoal: FaultOutcome }>> {
  const runs = await runFaultScenarios(
    scenarios.flatMap((s) => [
      { ...s, plain: true },
      { ...s, plain: false },
    ]),
  );
  const pairs = scenarios.map((_, i) => ({ plain: runs[2 * i]!, shoal: runs[2 * i + 1]! }));
  for (const { plain, shoal } of pairs) {
    const name = plain.scenario.name;
    console.log(
      `${name}: plain ${JSON.stringify(signature(plain))} ${plain.requestsPerRule.join(',')} req, t=${plain.currentTimeS.toFixed(1)}s | ` +
        `shoal ${JSON.stringify(signature(shoal))} ${shoal.requestsPerRule.join(',')} req, t=${shoal.currentTimeS.toFixed(1)}s`,
    );
    // The same errors in the same order; the page is read at a fixed time, so a retry landing right
    // at that moment may be in one run and not yet in the other.
    const [a, b] = [signature(plain), signature(shoal)];
    const common = Math.min(a.length, b.length);
    expect(b.slice(0, common), `${name}: errors hls.js saw`).toEqual(a.slice(0, common));
    expect(Math.abs(a.length - b.length), `${name}: number of errors`).toBeLessThanOrEqual(1);
    expect(shoal.metrics.fatalErrors, `${name}: fatal errors`).toEqual(plain.metrics.fatalErrors);
    shoal.requestsPerRule.forEach((n, i) =>
      expect(Math.abs(n - plain.requestsPerRule[i]!), `${name}: requests for the faulty segment (retries)`).toBeLessThanOrEqual(1),
    );
    expect(Math.abs(shoal.currentTimeS - plain.currentTimeS), `${name}: playback position`).toBeLessThan(2.5);
  }
  return pairs;
}

describe('a broken origin through Shoal, compared with plain hls.js in real Chromium', () => {
  it('transient faults: the same errors and retries, then playback goes on', async () => {
    const pairs = await compare([
      { name: '404 (every time)', faults: [{ match: SEGMENT, status: 404 }], durationS: 9 },
      { name: '500 twice', faults: [{ match: SEGMENT, status: 500, times: 2 }], durationS: 7 },
      { name: 'truncated body twice', faults: [{ match: SEGMENT, truncateTo: 1000, times: 2 }], durationS: 7 },
      { name: 'Content-Length larger than the body twice', faults: [{ match: SEGMENT, wrongLength: true, times: 2 }], durationS: 7 },
      {
        name: 'headers 5 s late once (first-byte limit 3 s)',
        faults: [{ match: SEGMENT, delayMs: 5000, times: 1 }],
        durationS: 7,
        hlsConfig: {
          fragLoadPolicy: {
            default: {
              maxTimeToFirstByteMs: 3000,
              maxLoadTimeMs: 120_000,
              timeoutRetry: { maxNumRetry: 4, retryDelayMs: 0, maxRetryDelayMs: 0 },
              errorRetry: { maxNumRetry: 6, retryDelayMs: 1000, maxRetryDelayMs: 8000 },
            },
          },
        },
      },
    ]);
    for (const { shoal } of pairs.slice(1)) {
      expect(shoal.metrics.fatalErrors, shoal.scenario.name).toEqual([]);
      expect(shoal.currentTimeS, `${shoal.scenario.name}: playback went on`).toBeGreaterThan(4);
    }
  });

  it('permanent faults: the same fatal error after the same retries, never a hang', async () => {
    const quick = {
      maxLoadTimeMs: 120_000,
      timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 2, retryDelayMs: 200, maxRetryDelayMs: 400 },
    };
    const pairs = await compare([
      {
        name: '500 from segment 3 on',
        faults: [{ match: 'seg_000(0[3-9]|[1-9][0-9])\\.m4s', status: 500 }],
        durationS: 6,
        hlsConfig: { fragLoadPolicy: { default: { ...quick, maxTimeToFirstByteMs: 10_000 } } },
      },
      {
        name: 'no answer from segment 3 on (first-byte limit 1 s)',
        faults: [{ match: 'seg_000(0[3-9]|[1-9][0-9])\\.m4s', delayMs: 60_000 }],
        durationS: 6,
        hlsConfig: { fragLoadPolicy: { default: { ...quick, maxTimeToFirstByteMs: 1000 } } },
      },
    ]);
    expect(pairs[0]!.shoal.metrics.fatalErrors).toEqual(['fragLoadError']);
    expect(pairs[1]!.shoal.metrics.fatalErrors).toEqual(['fragLoadTimeOut']);
  });
});
