/**
 * npm run bench:tracker — closed-loop load on loopback against Shoal's tracker and
 * bittorrent-tracker's server, same load, one run. Writes tracker/bench/results/tracker-*.json and
 * tracker/bench/results/README.md. Options: --k 1000,2000,5000 --duration 15 --warmup 2
 * --swarms 10 --offers 5 --sdp 600 --servers shoal,bittorrent-tracker --repeat 2
 * --memory-only bittorrent-tracker-tuned --out DIR. About 6 minutes with the defaults.
 * With --nodes N (and optionally --redis URL): the cluster bench instead (see cluster.ts), 1 node
 * vs N nodes on Redis, K = the first --k (default 1000), about 1.5 minutes.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { child, CLK_TCK, cpuTicks, next, stopChild, withLoad } from './procs.js';
import type { LoadParams, LoadResult } from './load-proc.js';
import type { ServerKind } from './server-proc.js';
import { renderMarkdown, type PhaseResult, type BenchRun } from './report.js';
import { sectionOf, withSection } from './cluster-report.js';

const here = dirname(fileURLToPath(import.meta.url));

// Raise the open-file limit once for this process and its children (K sockets on each side).
if (process.env.SHOAL_BENCH_ULIMIT !== '1') {
  const args = [process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)].map(
    (a) => `'${a.replace(/'/g, "'\\''")}'`,
  );
  const r = spawnSync('bash', ['-c', `ulimit -n 65535 2>/dev/null || ulimit -n $(ulimit -Hn); exec ${args.join(' ')}`], {
    stdio: 'inherit',
    env: { ...process.env, SHOAL_BENCH_ULIMIT: '1' },
  });
  process.exit(r.status ?? 1);
}

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '1000,2000,5000' },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '2' },
    swarms: { type: 'string', default: '10' },
    offers: { type: 'string', default: '5' },
    sdp: { type: 'string', default: '600' },
    servers: { type: 'string', default: 'shoal,bittorrent-tracker' },
    'memory-only': { type: 'string', default: 'bittorrent-tracker-tuned' },
    repeat: { type: 'string', default: '2' },
    out: { type: 'string', default: join(here, 'results') },
    nodes: { type: 'string' },
    redis: { type: 'string' },
  },
});
const launcherFlags = readFileSync(join(here, '../bin/shoal-tracker.js'), 'utf8')
  .split('\n')[0]!
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));
if (values.nodes !== undefined) {
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 2 || nodes > 16) throw new Error('--nodes must be an integer from 2 to 16');
  const { runClusterBench } = await import('./cluster.js');
  const given = process.argv.slice(2);
  const opt = (name: string, fallback: number) => (given.includes(`--${name}`) ? Number(values[name as 'k'].split(',')[0]) : fallback);
  await runClusterBench({
    k: opt('k', 1000),
    nodes,
    redis: values.redis,
    durationMs: opt('duration', 10) * 1000,
    warmupMs: Number(values.warmup) * 1000,
    swarms: Number(values.swarms),
    offers: Number(values.offers),
    sdpBytes: Number(values.sdp),
    repeat: Number(values.repeat),
    out: values.out,
    nodeFlags: [...launcherFlags, ...(process.env.SHOAL_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)],
  });
  process.exit(0);
}
const ks = values.k.split(',').map(Number);
const servers = values.servers.split(',') as Variant[];

/**
 * What is measured: Shoal as its launcher runs it (the node flags on bin/shoal-tracker.js's
 * shebang line), bittorrent-tracker as its own bin runs it (plain node), and, for disclosure,
 * bittorrent-tracker under Shoal's flags too.
 */
type Variant = 'shoal' | 'bittorrent-tracker' | 'bittorrent-tracker-tuned';
const variantKind = (v: Variant): ServerKind => (v === 'shoal' ? 'shoal' : 'bittorrent-tracker');
const variantFlags = (v: Variant): string[] => (v === 'bittorrent-tracker' ? [] : launcherFlags);
const durationMs = Number(values.duration) * 1000;
const warmupMs = Number(values.warmup) * 1000;

interface Mem {
  rss: number;
  heapUsed: number;
}
/** Median of three samples, each after a full GC, a moment apart. */
async function mem(p: ChildProcess): Promise<Mem> {
  const samples: Mem[] = [];
  for (let i = 0; i < 3; i++) {
    p.send({ cmd: 'mem' });
    samples.push(await next<Mem>(p, 'mem', 20_000));
    await new Promise((r) => setTimeout(r, 200));
  }
  const med = (f: (m: Mem) => number) => samples.map(f).sort((a, b) => a - b)[1]!;
  return { rss: med((m) => m.rss), heapUsed: med((m) => m.heapUsed) };
}

async function phase(variant: Variant, k: number, memoryOnly: boolean): Promise<PhaseResult> {
  const extra = (process.env.SHOAL_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const flags = [...variantFlags(variant), ...extra];
  const loadAvg = Math.round(loadavg()[0]! * 10) / 10;
  const server = child('server-proc.ts', [variantKind(variant)], ['--expose-gc', ...flags]);
  const stop = () => stopChild(server);
  try {
    const { port } = await next<{ port: number }>(server, 'ready', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    const base = await mem(server);
    const params: LoadParams = {
      port,
      clients: k,
      swarms: Number(values.swarms),
      offers: Number(values.offers),
      sdpBytes: Number(values.sdp),
    };
    return await withLoad(params, async (load) => {
      // Memory: before any client, with half of them, with all of them (idle, joined, after GC).
      const half = Math.floor(k / 2);
      load.send({ cmd: 'connect', count: half });
      await next<{ ms: number; clients: number }>(load, 'connected', 120_000);
      await new Promise((r) => setTimeout(r, 500));
      const halfway = await mem(server);
      load.send({ cmd: 'connect', count: k });
      const connected = await next<{ ms: number; clients: number }>(load, 'connected', 120_000);
      await new Promise((r) => setTimeout(r, 500));
      const idle = await mem(server);
      const memory = {
        idleRssPerConnKB: round1((idle.rss - base.rss) / k / 1024),
        idleHeapPerConnKB: round1((idle.heapUsed - base.heapUsed) / k / 1024),
        marginalRssPerConnKB: round1((idle.rss - halfway.rss) / (k - half) / 1024),
        marginalHeapPerConnKB: round1((idle.heapUsed - halfway.heapUsed) / (k - half) / 1024),
        baseRssMB: round1(base.rss / 1048576),
      };
      if (memoryOnly) {
        load.send({ cmd: 'exit' });
        const r = {
          ...emptyLoad(variant, k, flags.join(' '), loadAvg),
          ...memory,
          connected: connected.clients,
          connectMs: Math.round(connected.ms),
        };
        console.log(JSON.stringify(r));
        return r;
      }
      load.send({ cmd: 'run', warmupMs, durationMs });
      await new Promise((r) => setTimeout(r, warmupMs));
      const c0 = cpuTicks(server.pid!);
      const t0 = performance.now();
      const peakRss: number[] = [];
      const sampler = setInterval(() => {
        const s = readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
        if (s) peakRss.push(Number(s[1]) * 1024);
      }, 1000);
      await new Promise((r) => setTimeout(r, durationMs));
      const cpuPct = ((cpuTicks(server.pid!) - c0) / CLK_TCK / ((performance.now() - t0) / 1000)) * 100;
      clearInterval(sampler);
      const { result } = await next<{ result: LoadResult }>(load, 'result', 60_000);
      const loaded = await mem(server);
      load.send({ cmd: 'exit' });
      const sec = result.windowMs / 1000;
      const announcesPerSec = result.announces / sec;
      const r: PhaseResult = {
        server: variant,
        nodeFlags: flags.join(' '),
        k,
        connected: connected.clients,
        connectMs: Math.round(connected.ms),
        announcesPerSec: Math.round(announcesPerSec),
        relaysPerSec: Math.round((result.offersReceived + result.answersReceived) / sec),
        offersPerSec: Math.round(result.offersReceived / sec),
        answersPerSec: Math.round(result.answersReceived / sec),
        latencyMs: result.latencyMs,
        serverCpuPct: Math.round(cpuPct),
        cpuUsPerAnnounce: Math.round(((cpuPct / 100) * 1e6) / Math.max(1, announcesPerSec)),
        loadCpuPct: result.loadCpuPct,
        ...memory,
        memoryOnly: false,
        loadedRssMB: round1(Math.max(loaded.rss, ...peakRss) / 1048576),
        rssTimelineMB: peakRss.map((b) => round1(b / 1048576)),
        loadAvg,
        errors: result.failures + result.closes + (k - connected.clients),
        failureSamples: result.failureSamples,
      };
      console.log(JSON.stringify(r));
      return r;
    });
  } finally {
    await stop();
  }
}

function emptyLoad(server: string, k: number, nodeFlags: string, loadAvg: number): PhaseResult {
  const zero = { p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    server,
    nodeFlags,
    k,
    connected: 0,
    connectMs: 0,
    announcesPerSec: 0,
    relaysPerSec: 0,
    offersPerSec: 0,
    answersPerSec: 0,
    latencyMs: zero,
    serverCpuPct: 0,
    cpuUsPerAnnounce: 0,
    loadCpuPct: 0,
    idleRssPerConnKB: 0,
    idleHeapPerConnKB: 0,
    marginalRssPerConnKB: 0,
    marginalHeapPerConnKB: 0,
    loadedRssMB: 0,
    rssTimelineMB: [],
    baseRssMB: 0,
    errors: 0,
    loadAvg,
    failureSamples: [],
    memoryOnly: true,
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

const run: BenchRun = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? '',
  launcherFlags: launcherFlags.join(' '),
  params: {
    ks,
    repeat: Number(values.repeat),
    durationSec: durationMs / 1000,
    warmupSec: warmupMs / 1000,
    swarms: Number(values.swarms),
    offers: Number(values.offers),
    sdpBytes: Number(values.sdp),
  },
  phases: [],
  runs: [],
};
// Interleaved and repeated (A B A B ...): other work on the machine comes and goes, so each
// server's best run stands for what it can do; every run is kept in the JSON.
const memoryOnly = values['memory-only'].split(',').filter(Boolean) as Variant[];
for (const k of ks) {
  for (let rep = 0; rep < Number(values.repeat); rep++) {
    for (const s of servers) {
      console.error(`[bench] ${s} K=${k} run ${rep + 1} ...`);
      run.runs.push(await phase(s, k, false));
    }
  }
  for (const s of memoryOnly) {
    console.error(`[bench] ${s} K=${k} memory only ...`);
    run.runs.push(await phase(s, k, true));
  }
}
for (const r of run.runs) {
  const best = run.phases.findIndex((p) => p.server === r.server && p.k === r.k);
  if (best < 0) run.phases.push(r);
  else if (r.announcesPerSec > run.phases[best]!.announcesPerSec) run.phases[best] = r;
}
mkdirSync(values.out, { recursive: true });
const stamp = run.date.replace(/[:.]/g, '-');
writeFileSync(join(values.out, `tracker-${stamp}.json`), JSON.stringify(run, null, 2) + '\n');
const md = renderMarkdown(run);
const readmePath = join(values.out, 'README.md');
const clusterSection = existsSync(readmePath) ? sectionOf(readFileSync(readmePath, 'utf8')) : undefined;
writeFileSync(readmePath, clusterSection === undefined ? md : withSection(md, clusterSection));
console.log(md);
