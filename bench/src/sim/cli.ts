/**
 * `npm run sim`: many real Shoal engines on simulated time (see bench/README.md, "Simulator").
 * Writes result.json and report.html to --out; a progress bar on stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { NETWORKS } from './net-model.js';
import { parseSimFlags, simHelp, type SimFlags } from './sim-flags.js';
import { simReportHtml } from './sim-report.js';
import type { SimResult } from './sim-result.js';
import { runSim } from './sim-run.js';

async function runOne(flags: SimFlags, viewers: number, p2p: boolean): Promise<SimResult> {
  const base = NETWORKS[flags.net];
  const network = flags.uplink ? { ...base, uplink: flags.uplink.tiers } : base;
  const live = flags.mode === 'live';
  const stream = {
    live,
    bitrate: flags.bitrate,
    segmentS: flags['segment-s'],
    segments: flags.segments ?? (live ? 10 : 75),
    sizeSpread: 0.2,
  };
  const label = `N=${viewers} ${flags.mode} p2p ${p2p ? 'on' : 'off'}`;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} sim s | viewers {viewers} | {speed}x`,
      barsize: 24,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(flags.duration, 0, { viewers: 0, speed: '-' });
  const run = await runSim({
    viewers,
    durationS: flags.duration,
    seed: flags.seed,
    stream,
    network,
    p2p,
    rampS: flags.ramp,
    ...(flags.stagger !== undefined ? { staggerS: flags.stagger } : {}),
    churnPerMin: flags.churn,
    ...(flags['tracker-outage'] ? { trackerOutage: flags['tracker-outage'] } : {}),
    onProgress: (s, present) => bar.update(s, { viewers: present, speed: (s / ((performance.now() - started) / 1000)).toFixed(2) }),
  });
  bar.stop();
  const wallClockS = (performance.now() - started) / 1000;
  const outage = flags['tracker-outage'];
  return {
    options: {
      viewers,
      mode: flags.mode,
      durationS: flags.duration,
      seed: flags.seed,
      network: flags.net,
      uplink: flags.uplink?.text ?? flags.net,
      meanUplinkX: run.meanUplinkX,
      churnPerMin: flags.churn,
      trackerOutage: outage ? `${outage.startS}:${outage.lenS}` : null,
      p2p,
      bitrate: flags.bitrate,
      segmentS: flags['segment-s'],
    },
    summary: run.summary,
    wallClockS,
    timersRun: run.timersRun,
    timeline: run.timeline,
    viewers: run.viewers.map((v) => {
      const presentMs = (v.leftAt ?? flags.duration * 1000) - v.joinedAt;
      const uploadX = presentMs > 0 ? (v.uploadBytes * 8000) / presentMs / flags.bitrate : 0;
      return { id: v.id, uploadX, stalls: v.stalls, startupMs: v.startupMs };
    }),
  };
}

function line(r: SimResult): string {
  const s = r.summary;
  const f = (x: number | null, d = 2) => (x === null ? '-' : x.toFixed(d));
  return (
    `N=${r.options.viewers} ${r.options.mode} p2p ${r.options.p2p ? 'on ' : 'off'}: offload ${(100 * s.offload).toFixed(1)}% ` +
    `(limit ${(100 * s.offloadLimit).toFixed(1)}%), origin fetches/segment ${f(s.originFetchesPerSegment)}, ` +
    `stalls/viewer-min ${f(s.stallsPerViewerMinute, 3)}, startup ${f(s.startupMedianMs, 0)}/${f(s.startupP95Ms, 0)} ms, ` +
    `latency ${f(s.liveLatencyMedianS)} s, upload p50/p95 ${f(s.uploadX.p50)}/${f(s.uploadX.p95)}x, wall ${r.wallClockS.toFixed(1)} s`
  );
}

async function main(): Promise<void> {
  const flags = parseSimFlags(process.argv.slice(2));
  if (flags === 'help') {
    process.stdout.write(simHelp());
    return;
  }
  const modes = flags.p2p === 'both' ? [false, true] : [flags.p2p === 'on'];
  const results: SimResult[] = [];
  for (const viewers of flags.viewers) {
    for (const p2p of modes) {
      const result = await runOne(flags, viewers, p2p);
      results.push(result);
      process.stdout.write(`${line(result)}\n`);
    }
  }
  mkdirSync(flags.out, { recursive: true });
  writeFileSync(path.join(flags.out, 'result.json'), JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
  writeFileSync(path.join(flags.out, 'report.html'), simReportHtml(results));
  process.stdout.write(`wrote ${path.join(flags.out, 'result.json')} and report.html\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
