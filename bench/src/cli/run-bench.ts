/**
 * One `npm run bench` invocation: prepares the origin, runs the workload (twice for --compare),
 * turns the raw numbers into result.json and report.html, prints a summary and says whether the
 * run passed. Used by cli.ts and by the regression test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregate, peerStalls, tickTotals, type TickTotals } from '../results/aggregate.js';
import { compareRuns } from '../results/compare.js';
import { summarizeProfile, sumBuckets, type CpuProfile, type ProfileSummary } from '../results/cpu-profile.js';
import { renderReport } from '../results/report-html.js';
import { checkThresholds } from '../results/thresholds.js';
import type { AttributedStall } from '../results/stalls.js';
import type { BenchResult, CompareResult } from '../results/types.js';
import type { SegmentEvent } from '../run/page-metrics.js';
import { runSwarm } from '../run/swarm-run.js';
import type { BenchArgs } from './args.js';
import { createCpuSampler } from './cpu-sampler.js';
import { prepareOrigin, type RunOrigin } from './origin-probe.js';
import { createProgress } from './progress.js';
import { summaryLines } from './summary.js';

export const DEFAULT_OUT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out');

export interface BenchOutcome {
  readonly outDir: string;
  readonly result: BenchResult | CompareResult;
  readonly exitCode: 0 | 1;
}

export interface BenchIo {
  log: (line: string) => void;
  /** Show a progress bar (default: when stderr is a terminal). */
  readonly tty?: boolean;
}

export async function runBench(args: BenchArgs, io: BenchIo = { log: (line) => console.error(line) }): Promise<BenchOutcome> {
  const startedAt = new Date();
  const viewers = args.pages + args.nodePeers;
  const outDir = path.resolve(
    args.outDir ?? path.join(DEFAULT_OUT_ROOT, `${stamp(startedAt)}-${args.mode}-${viewers}${args.compare ? '-compare' : ''}`),
  );
  const origin = await prepareOrigin(args.stream, args.mode, { https: args.https, liveWindow: args.liveWindow });
  let result: BenchResult | CompareResult;
  const segmentLogs: SegmentLogs = {};
  const profiles: ProfileLogs = {};
  try {
    if (!origin.counter) io.log('bench: the origin has no /stats; offload is measured from the SDK counters only');
    if (args.compare) {
      const off = await oneRun(args, origin, false, 'P2P off', io, segmentLogs, profiles);
      const on = await oneRun(args, origin, true, 'P2P on', io, segmentLogs, profiles);
      result = compareRuns(off, on);
    } else {
      result = await oneRun(args, origin, args.p2p, args.p2p ? 'P2P on' : 'P2P off', io, segmentLogs, profiles);
    }
  } finally {
    await origin.close();
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(path.join(outDir, 'report.html'), renderReport(result));
  writeFileSync(path.join(outDir, 'segments.json'), JSON.stringify(segmentLogs) + '\n');
  if (args.cpuProfile) writeProfiles(outDir, profiles, io);
  for (const line of summaryLines(result)) io.log(line);
  io.log(`bench: wrote ${path.join(outDir, 'result.json')}, report.html and segments.json`);
  if (!result.ok) {
    const failed = (result.kind === 'compare' ? [result.off, result.on] : [result]).flatMap((r) =>
      r.checks.filter((c) => !c.ok && c.severity === 'fail'),
    );
    io.log('');
    io.log('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
    io.log('!! BENCH FAILED');
    for (const check of failed) io.log(`!!   ${check.name}: ${check.detail}`);
    io.log('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
  }
  return { outDir, result, exitCode: result.ok ? 0 : 1 };
}

/**
 * Per run label: every viewer's startup steps, segment log, stalls (each with the fragment it
 * waited for, where that came from and why) and Shoal warnings, to see why each segment went
 * where it went.
 */
type SegmentLogs = Record<
  string,
  {
    index: number;
    kind: string;
    joinedAtS: number;
    startup: Record<string, number | null>;
    segments: SegmentEvent[];
    stalls: AttributedStall[];
    warnings: { t: number; message: string }[];
  }[]
>;

/** Per run label: each page's main-thread CPU profile (with --cpu-profile). */
type ProfileLogs = Record<string, { index: number; profile: CpuProfile }[]>;

/** profiles/<run>-page-N.cpuprofile for DevTools, and cpu-profile.json: per run, where the main threads' time went. */
function writeProfiles(outDir: string, profiles: ProfileLogs, io: BenchIo): void {
  const dir = path.join(outDir, 'profiles');
  mkdirSync(dir, { recursive: true });
  const summary: Record<string, { total: ReturnType<typeof sumBuckets>; pages: (ProfileSummary & { index: number })[] }> = {};
  for (const [label, pages] of Object.entries(profiles)) {
    const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    for (const { index, profile } of pages) writeFileSync(path.join(dir, `${slug}-page-${index}.cpuprofile`), JSON.stringify(profile));
    const summaries = pages.map(({ index, profile }) => ({ index, ...summarizeProfile(profile) }));
    const total = sumBuckets(summaries);
    summary[label] = { total, pages: summaries };
    const busy = Object.entries(total).filter(([bucket]) => bucket !== 'idle');
    io.log(`${label} main threads (all pages, s): ${busy.map(([bucket, ms]) => `${bucket} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
  }
  writeFileSync(path.join(outDir, 'cpu-profile.json'), JSON.stringify(summary, null, 2) + '\n');
}

async function oneRun(
  args: BenchArgs,
  origin: RunOrigin,
  p2p: boolean,
  label: string,
  io: BenchIo,
  segmentLogs: SegmentLogs,
  profiles: ProfileLogs,
): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const cpu = createCpuSampler();
  const ticks: TickTotals[] = [];
  const progress = createProgress(label.padEnd(7), args.durationS, io.log, io.tty);
  let run;
  try {
    run = await runSwarm({
      peers: args.pages,
      nodePeers: args.nodePeers,
      nodeWorkers: args.nodeWorkers,
      nodeLevel: args.nodeLevel,
      mode: args.mode,
      player: args.player,
      durationS: args.durationS,
      staggerS: args.staggerS,
      p2p,
      churn: args.churn,
      startupProbes: args.startupProbes,
      cpuThrottle: args.cpuThrottle,
      cpuProfile: args.cpuProfile,
      stream: origin.streamUrl,
      originCounter: origin.counter,
      trustSpki: origin.trustSpki,
      trackerUrl: args.tracker,
      shoalConfig: args.shoalConfig,
      hlsConfig: args.hlsConfig,
      onTick: (t, pages) => {
        const totals = tickTotals(t, pages, cpu.sample());
        ticks.push(totals);
        progress.update(totals);
      },
    });
  } finally {
    progress.stop();
  }
  if (run.profiles) profiles[label] = [...run.profiles];
  segmentLogs[label] = run.pages.map((p) => ({
    index: p.index,
    kind: p.kind ?? 'page',
    joinedAtS: p.joinedAtS,
    startup: { ...p.metrics.startupSteps, FIRST_FRAME: p.metrics.firstFrameMs },
    segments: p.metrics.segments ?? [],
    stalls: peerStalls(p),
    warnings: p.metrics.warnings ?? [],
  }));
  const result = aggregate({
    label,
    startedAt,
    params: {
      mode: args.mode,
      pages: args.pages,
      nodePeers: args.nodePeers,
      durationS: args.durationS,
      staggerS: args.staggerS,
      p2p,
      churn: args.churn,
      cpuThrottle: args.cpuThrottle,
      https: args.https,
      ...(args.mode === 'live' && args.stream.kind === 'local' ? { liveWindow: args.liveWindow } : {}),
      streamUrl: run.streamUrl,
      shoalConfig: args.shoalConfig,
    },
    pages: run.pages,
    origin: run.origin,
    elapsedS: run.elapsedS,
    ticks,
    cores: cpu.cores,
    nodeWorkers: run.nodeProcesses,
    startupProbes: run.startupProbes,
  });
  if (!args.ci) return result;
  const checks = [...result.checks, ...checkThresholds(result)];
  return { ...result, checks, ok: checks.every((c) => c.ok || c.severity !== 'fail') };
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}
