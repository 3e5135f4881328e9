import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/cli/args.js';
import { runBench } from '../src/cli/run-bench.js';
import type { BenchResult } from '../src/results/types.js';

/**
 * The bench's regression mode (`npm run bench -- --ci`): 3 Chromium pages on the live sample
 * stream for 40 s, held to bench/src/results/thresholds.ts. Fails when offload or playback
 * regress badly, or when the SDK's and the origin's byte counts disagree.
 */
describe('bench regression run', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'shoal-bench-ci-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('stays within the CI thresholds', async () => {
    const parsed = parseBenchArgs(['--ci', '--out', out]);
    if (parsed.help) throw new Error('unexpected --help');
    const lines: string[] = [];
    const outcome = await runBench(parsed.args, { log: (line) => lines.push(line), tty: false });
    console.log(lines.join('\n'));
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as BenchResult;
    const failed = result.checks.filter((c) => !c.ok && c.severity === 'fail').map((c) => `${c.name}: ${c.detail}`);
    expect(failed).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    expect(result.perPeer).toHaveLength(3);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('const DATA = ');
    // The segment log says, per viewer, what the engine decided for each segment.
    const logs = JSON.parse(readFileSync(path.join(out, 'segments.json'), 'utf8')) as Record<string, { segments: { plan: string }[] }[]>;
    const viewers = Object.values(logs)[0]!;
    expect(viewers).toHaveLength(3);
    for (const viewer of viewers) {
      expect(viewer.segments.length).toBeGreaterThan(0);
      for (const segment of viewer.segments) expect(['http', 'p2p', 'wait']).toContain(segment.plan);
    }
  }, 90_000);
});
