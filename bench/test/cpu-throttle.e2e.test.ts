import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/cli/args.js';
import { runBench } from '../src/cli/run-bench.js';
import type { AttributedStall } from '../src/results/stalls.js';
import type { CompareResult } from '../src/results/types.js';

/**
 * Never worse than plain hls.js on a slow device (issue #11): 3 pages whose CPU runs 4 times
 * slower play the live sample with P2P off, then the same workload with P2P on. Page i of the P2P
 * run is the twin of page i of the HTTP-only run (same join time, same throttle); no P2P page may
 * stall more than its twin did. On failure the message carries each extra stall's attribution
 * from segments.json: which fragment was late, where it was coming from, and why.
 */
const ARGS = ['--peers', '3', '--mode', 'live', '--duration', '50', '--stagger', '2', '--cpu-throttle', '4', '--compare'];

describe('P2P on a CPU-throttled device', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'shoal-bench-cpu-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('no P2P page stalls more than its HTTP-only twin (3 pages, --cpu-throttle 4)', async () => {
    const parsed = parseBenchArgs([...ARGS, '--out', out]);
    if (parsed.help) throw new Error('unexpected --help');
    const lines: string[] = [];
    await runBench(parsed.args, { log: (line) => lines.push(line), tty: false });
    console.log(lines.join('\n'));
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as CompareResult;
    const logs = JSON.parse(readFileSync(path.join(out, 'segments.json'), 'utf8')) as Record<
      string,
      { index: number; stalls: AttributedStall[] }[]
    >;
    expect(result.off.params.cpuThrottle).toBe(4);
    expect(result.worseThanTwin).toBeDefined();
    expect(result.on.perPeer).toHaveLength(3);
    expect(result.off.perPeer).toHaveLength(3);
    for (const run of [result.off, result.on]) {
      for (const viewer of run.perPeer) expect(viewer.startupMs, `${run.label} page ${viewer.index} never played`).not.toBeNull();
    }
    const worse = (result.worseThanTwin ?? []).map((w) => {
      const why = logs['P2P on']?.find((v) => v.index === w.index)?.stalls ?? [];
      return `page ${w.index}: ${w.on.stalls} stalls (${w.on.stallMs} ms) with P2P, ${w.off.stalls} (${w.off.stallMs} ms) without; ${JSON.stringify(why)}`;
    });
    expect(worse, 'P2P pages that stalled where their HTTP-only twin did not').toEqual([]);
  }, 240_000);
});
