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
  /** Only the memory part was measured (no load). */
  readonly memoryOnly: boolean;
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
  readonly params: {
    ks: number[];
    repeat: number;
    durationSec: number;
    warmupSec: number;
    swarms: number;
    offers: number;
    sdpBytes: number;
  };
  /** Best run per (server, K) by announces/s. */
  readonly phases: PhaseResult[];
  /** Every run, in order. */
  readonly runs: PhaseResult[];
}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

const num = (x: number) => String(x);

export function renderMarkdown(run: BenchRun): string {
  const p = run.params;
  const lines = [
    '# Tracker load bench',
    '',
    `${run.date} · Node ${run.node} · ${run.cpus} CPU (${run.cpuModel})`,
    '',
    `Closed loop on 127.0.0.1: K clients in ${p.swarms} swarms; each announces with ${p.offers} offers (${p.sdpBytes}-byte SDP), waits for the reply, ` +
      `announces again, and answers every offer it receives. ${p.warmupSec} s warm-up, then ${p.durationSec} s measured. ` +
      'Server and load generator are separate processes; server CPU is the server process alone (% of one core). ' +
      `Runs are interleaved (Shoal, bittorrent-tracker, Shoal, ...) ${p.repeat} times per K and the tables show each server's best run by announces/s: ` +
      'this machine is shared, and other work on it (load avg column) takes CPU from whichever run is going. Every run is listed at the end and kept in the JSON.',
    '',
    'Memory per connection (after a full GC, median of 3 samples, before the load starts): "RSS/conn" is server RSS with K idle joined clients minus RSS before any, divided by K; ' +
      '"marginal RSS/conn" is the growth from K/2 to K clients divided by K/2, leaving out fixed costs (V8 young generation growth, code, buffers); "heap/conn" is V8 heap used, divided by K. ' +
      `Each server runs as its launcher runs it: Shoal with the flags on bin/shoal-tracker.js's shebang (\`${run.launcherFlags}\`), bittorrent-tracker with plain node. ` +
      "bittorrent-tracker-tuned is bittorrent-tracker under Shoal's flags (memory only), to show what those flags alone do.",
    '',
    '| server | K | announces/s | relays/s | p50 ms | p99 ms | server CPU | CPU µs/announce | RSS/conn KB | marginal RSS/conn KB | heap/conn KB | RSS under load MB | errors | loadgen CPU | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const row = (r: PhaseResult) =>
    `| ${r.server} | ${r.k} | ${r.announcesPerSec} | ${r.relaysPerSec} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ${r.serverCpuPct}% | ${r.cpuUsPerAnnounce} | ` +
    `${r.idleRssPerConnKB} | ${r.marginalRssPerConnKB} | ${r.idleHeapPerConnKB} | ${r.loadedRssMB} | ${r.errors} | ${r.loadCpuPct}% | ${r.loadAvg} |`;
  for (const r of run.phases.filter((x) => !x.memoryOnly)) lines.push(row(r));

  const pairs = p.ks
    .map(
      (k) =>
        [
          k,
          run.phases.find((r) => r.k === k && r.server === 'shoal'),
          run.phases.find((r) => r.k === k && r.server === 'bittorrent-tracker'),
        ] as const,
    )
    .filter((x): x is readonly [number, PhaseResult, PhaseResult] => x[1] !== undefined && x[2] !== undefined);
  if (pairs.length > 0) {
    lines.push(
      '',
      '## Shoal / bittorrent-tracker',
      '',
      '| K | announces/s | relays/s | p99 latency | RSS/conn | marginal RSS/conn | heap/conn | CPU per announce | errors (Shoal) |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const [k, sh, b] of pairs) {
      lines.push(
        `| ${k} | ${ratio(sh.announcesPerSec, b.announcesPerSec)} | ${ratio(sh.relaysPerSec, b.relaysPerSec)} | ${ratio(sh.latencyMs.p99, b.latencyMs.p99)} | ` +
          `${ratio(sh.idleRssPerConnKB, b.idleRssPerConnKB)} | ${ratio(sh.marginalRssPerConnKB, b.marginalRssPerConnKB)} | ${ratio(sh.idleHeapPerConnKB, b.idleHeapPerConnKB)} | ` +
          `${ratio(sh.cpuUsPerAnnounce, b.cpuUsPerAnnounce)} | ${sh.errors} |`,
      );
    }
  }
  const mem = run.phases.filter((x) => x.memoryOnly);
  if (mem.length > 0) {
    lines.push(
      '',
      '## Memory only',
      '',
      '| server | node flags | K | RSS/conn KB | marginal RSS/conn KB | heap/conn KB |',
      '|---|---|---|---|---|---|',
    );
    for (const r of mem)
      lines.push(
        `| ${r.server} | \`${r.nodeFlags}\` | ${r.k} | ${r.idleRssPerConnKB} | ${r.marginalRssPerConnKB} | ${r.idleHeapPerConnKB} |`,
      );
  }
  const samples = run.phases.filter((r) => r.failureSamples.length > 0);
  if (samples.length > 0) {
    lines.push('', '## Failure samples', '');
    for (const r of samples) lines.push(`- ${r.server} K=${r.k}: ${r.failureSamples.map((x) => '`' + x + '`').join(' ')}`);
  }
  lines.push(
    '',
    '## Every run',
    '',
    '| server | K | announces/s | server CPU | CPU µs/announce | RSS/conn KB | marginal RSS/conn KB | errors | load avg |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of run.runs) {
    lines.push(
      `| ${r.server} | ${r.k} | ${r.memoryOnly ? '–' : num(r.announcesPerSec)} | ${r.memoryOnly ? '–' : `${r.serverCpuPct}%`} | ${r.memoryOnly ? '–' : num(r.cpuUsPerAnnounce)} | ${r.idleRssPerConnKB} | ${r.marginalRssPerConnKB} | ${r.errors} | ${r.loadAvg} |`,
    );
  }
  lines.push('', 'Targets: announces/s >= 3x bittorrent-tracker, memory per connection <= 1/2, K=5000 without errors.', '');
  return lines.join('\n');
}
