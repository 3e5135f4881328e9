/** Result types and the markdown summary of a tracker bench run. */

export interface PhaseResult {
  readonly server: string;
  /** Node flags of the server process besides --expose-gc. */
  readonly nodeFlags: string;
  readonly k: number;
  readonly connected: number;
  readonly connectMs: number;
  readonly announcesPerSec: number;
  readonly relaysPerSec: number;
  readonly offersPerSec: number;
  readonly answersPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /** Server process CPU during the window, % of one core. */
  readonly serverCpuPct: number;
  readonly cpuUsPerAnnounce: number;
  /** Load generator CPU, % of one core (near 100 means the generator limited the run). */
  readonly loadCpuPct: number;
  readonly idleRssPerConnKB: number;
  readonly idleHeapPerConnKB: number;
  /** Growth from K/2 to K idle clients, per added client (excludes fixed costs such as V8's young generation growing). */
  readonly marginalRssPerConnKB: number;
  readonly marginalHeapPerConnKB: number;
  readonly loadedRssMB: number;
  /** Server RSS once a second during the measured window. */
  readonly rssTimelineMB: readonly number[];
  readonly baseRssMB: number;
  readonly errors: number;
  /** 1-minute load average when the phase started. */
  readonly loadAvg: number;
  readonly failureSamples: readonly string[];
}

export interface BenchRun {
  readonly date: string;
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly launcherFlags: string;
  readonly params: { ks: number[]; durationSec: number; warmupSec: number; swarms: number; offers: number; sdpBytes: number };
  readonly phases: PhaseResult[];
}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

export function renderMarkdown(run: BenchRun): string {
  const p = run.params;
  const lines = [
    '# Tracker load bench',
    '',
    `${run.date} · Node ${run.node} · ${run.cpus} CPU (${run.cpuModel})`,
    '',
    `Closed loop on 127.0.0.1: K clients in ${p.swarms} swarms; each announces with ${p.offers} offers (${p.sdpBytes}-byte SDP), waits for the reply, ` +
      `announces again, and answers every offer it receives. ${p.warmupSec} s warm-up, then ${p.durationSec} s measured. ` +
      'Server and load generator are separate processes; CPU is the server process alone (% of one core). ' +
      'Memory per connection (after a full GC, median of 3 samples): "RSS KB/conn" is server RSS with K idle joined clients minus RSS before any, divided by K; ' +
      '"marginal" is the growth from K/2 to K clients divided by K/2, which leaves out fixed costs (V8 young generation growth, code, buffers). ' +
      `Each server runs as its launcher runs it: Shoal with the flags of bin/shoal-tracker.js (\`${run.launcherFlags}\`), ` +
      'bittorrent-tracker with plain node; bittorrent-tracker-tuned is bittorrent-tracker under Shoal\'s flags, for comparison. ' +
      'The load average column shows other work on the machine, which takes CPU from both; CPU µs per announce is the least sensitive to it.',
    '',
    '| server | K | announces/s | relays/s | p50 ms | p99 ms | server CPU | CPU µs/announce | RSS KB/conn | marginal RSS KB/conn | heap KB/conn | RSS under load MB | errors | loadgen CPU | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of run.phases) {
    lines.push(
      `| ${r.server} | ${r.k} | ${r.announcesPerSec} | ${r.relaysPerSec} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ${r.serverCpuPct}% | ${r.cpuUsPerAnnounce} | ` +
        `${r.idleRssPerConnKB} | ${r.marginalRssPerConnKB} | ${r.idleHeapPerConnKB} | ${r.loadedRssMB} | ${r.errors} | ${r.loadCpuPct}% | ${r.loadAvg} |`,
    );
  }
  for (const anchor of ['bittorrent-tracker', 'bittorrent-tracker-tuned']) {
    const rows = p.ks
      .map((k) => [k, run.phases.find((r) => r.k === k && r.server === 'shoal'), run.phases.find((r) => r.k === k && r.server === anchor)] as const)
      .filter((x): x is readonly [number, PhaseResult, PhaseResult] => x[1] !== undefined && x[2] !== undefined);
    if (rows.length === 0) continue;
    lines.push('', `## Shoal / ${anchor}`, '', '| K | announces/s | relays/s | p99 latency | RSS per conn | marginal RSS per conn | heap per conn | CPU per announce |', '|---|---|---|---|---|---|---|---|');
    for (const [k, sh, b] of rows) {
      lines.push(
        `| ${k} | ${ratio(sh.announcesPerSec, b.announcesPerSec)} | ${ratio(sh.relaysPerSec, b.relaysPerSec)} | ${ratio(sh.latencyMs.p99, b.latencyMs.p99)} | ` +
          `${ratio(sh.idleRssPerConnKB, b.idleRssPerConnKB)} | ${ratio(sh.marginalRssPerConnKB, b.marginalRssPerConnKB)} | ${ratio(sh.idleHeapPerConnKB, b.idleHeapPerConnKB)} | ${ratio(sh.cpuUsPerAnnounce, b.cpuUsPerAnnounce)} |`,
      );
    }
  }
  const samples = run.phases.filter((r) => r.failureSamples.length > 0);
  if (samples.length > 0) {
    lines.push('', '## Failure samples', '');
    for (const r of samples) lines.push(`- ${r.server} K=${r.k}: ${r.failureSamples.map((s) => '`' + s + '`').join(' ')}`);
  }
  lines.push('', 'Targets: announces/s >= 3x bittorrent-tracker, memory per connection <= 1/2, K=5000 without errors.', '');
  return lines.join('\n');
}
