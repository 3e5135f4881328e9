/**
 * `npm run bench:tracker -- --nodes 3 [--redis redis://...]`: the same closed-loop load against
 * one tracker in memory, one tracker on Redis, and N trackers on Redis (clients spread over them),
 * interleaved and repeated. Without --redis a redis-server (no persistence) is started on a free
 * loopback port for the run. Writes results/cluster-<date>.json and the cluster section of
 * results/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { LIGHT_K, renderCluster, withSection, type ClusterPhase, type ClusterRun } from './cluster-report.js';
import type { LoadParams, LoadResult } from './load-proc.js';
import { child, CLK_TCK, cpuTicks, next, stopChild, withLoad } from './procs.js';

export interface ClusterBenchOptions {
  readonly k: number;
  readonly nodes: number;
  readonly redis: string | undefined;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly swarms: number;
  readonly offers: number;
  readonly sdpBytes: number;
  readonly repeat: number;
  readonly out: string;
  /** Node flags the launcher gives the tracker. */
  readonly nodeFlags: readonly string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

async function startRedis(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  proc.once('error', (err) => console.error(`[bench] cannot run redis-server: ${err.message}`));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return { url, proc };
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  proc.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

/** Redis's own CPU seconds so far (works for a Redis the bench did not start, too). */
async function redisCpuSec(r: Redis): Promise<number> {
  const info = await r.info('cpu');
  const get = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return get('used_cpu_sys') + get('used_cpu_user');
}

/**
 * The closed loop announces again as soon as the announce reply arrives, without waiting for
 * answers: a peer's offers can pile up faster than it answers when its node lags (offers reach it
 * through Redis pub/sub), and past maxPendingOffersPerPeer (50) the oldest are forgotten and their
 * answers refused. Real clients announce every intervalSec, so the cap is raised here, for every
 * setup alike, to measure throughput rather than that protection.
 */
const NODE_ARGS = { maxPendingOffersPerPeer: 10_000 };

interface Variant {
  readonly label: string;
  readonly nodes: number;
  readonly redis: boolean;
}

async function phase(o: ClusterBenchOptions, k: number, v: Variant, redisUrl: string, redis: Redis, seq: number): Promise<ClusterPhase> {
  const loadAvg = Math.round(loadavg()[0]! * 10) / 10;
  // A fresh key prefix per run: the previous run's peers (same ids) must not look taken.
  const servers = Array.from({ length: v.nodes }, (_, i) =>
    child(
      'server-proc.ts',
      [
        'shoal',
        JSON.stringify({ ...NODE_ARGS, ...(v.redis ? { redis: redisUrl, redisPrefix: `bench${seq}:`, nodeId: `bench-${seq}-${i}` } : {}) }),
      ],
      [...o.nodeFlags],
    ),
  );
  try {
    const ports = (await Promise.all(servers.map((s) => next<{ port: number }>(s, 'ready', 30_000)))).map((m) => m.port);
    const params: LoadParams = { port: ports[0]!, ports, clients: k, swarms: o.swarms, offers: o.offers, sdpBytes: o.sdpBytes };
    return await withLoad(params, async (load) => {
      load.send({ cmd: 'connect', count: k });
      const connected = await next<{ clients: number }>(load, 'connected', 120_000);
      load.send({ cmd: 'run', warmupMs: o.warmupMs, durationMs: o.durationMs });
      await new Promise((r) => setTimeout(r, o.warmupMs));
      const ticks = () => servers.reduce((sum, s) => sum + cpuTicks(s.pid!), 0);
      const [c0, r0, t0] = [ticks(), await redisCpuSec(redis), performance.now()];
      await new Promise((r) => setTimeout(r, o.durationMs));
      const sec = (performance.now() - t0) / 1000;
      const serverCpuPct = ((ticks() - c0) / CLK_TCK / sec) * 100;
      const redisCpuPct = v.redis ? (((await redisCpuSec(redis)) - r0) / sec) * 100 : 0;
      const { result } = await next<{ result: LoadResult }>(load, 'result', 60_000);
      load.send({ cmd: 'exit' });
      const w = result.windowMs / 1000;
      const announcesPerSec = result.announces / w;
      const r: ClusterPhase = {
        label: v.label,
        nodes: v.nodes,
        redis: v.redis,
        k,
        connected: connected.clients,
        announcesPerSec: Math.round(announcesPerSec),
        relaysPerSec: Math.round((result.offersReceived + result.answersReceived) / w),
        answersPerSec: Math.round(result.answersReceived / w),
        latencyMs: result.latencyMs,
        relayLatencyMs: result.relayLatencyMs,
        serverCpuPct: Math.round(serverCpuPct),
        redisCpuPct: Math.round(redisCpuPct),
        cpuUsPerAnnounce: Math.round((((serverCpuPct + redisCpuPct) / 100) * 1e6) / Math.max(1, announcesPerSec)),
        loadCpuPct: result.loadCpuPct,
        errors: result.failures + result.closes + (k - connected.clients),
        loadAvg,
        failureSamples: result.failureSamples,
      };
      console.log(JSON.stringify(r));
      return r;
    });
  } finally {
    await Promise.all(servers.map((s) => stopChild(s)));
    // Whatever the nodes left behind under this run's prefix.
    const keys = await redis.keys(`bench${seq}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  }
}

export async function runClusterBench(o: ClusterBenchOptions): Promise<void> {
  const started = o.redis === undefined ? await startRedis() : undefined;
  const url = o.redis ?? started!.url;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
    const variants: Variant[] = [
      { label: '1 node, in memory', nodes: 1, redis: false },
      { label: '1 node + Redis', nodes: 1, redis: true },
      { label: `${o.nodes} nodes + Redis`, nodes: o.nodes, redis: true },
    ];
    const run: ClusterRun = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      redisVersion: version,
      params: {
        k: o.k,
        nodes: o.nodes,
        repeat: o.repeat,
        durationSec: o.durationMs / 1000,
        warmupSec: o.warmupMs / 1000,
        swarms: o.swarms,
        offers: o.offers,
        sdpBytes: o.sdpBytes,
      },
      phases: [],
      runs: [],
    };
    let seq = 0;
    const loads = [o.k, LIGHT_K];
    for (const k of loads) {
      for (let rep = 0; rep < o.repeat; rep++) {
        for (const v of variants) {
          console.error(`[bench] ${v.label} K=${k} run ${rep + 1} ...`);
          run.runs.push(await phase(o, k, v, url, redis, seq++));
        }
      }
      for (const v of variants) {
        const mine = run.runs.filter((r) => r.label === v.label && r.k === k);
        run.phases.push(mine.reduce((a, b) => (b.announcesPerSec > a.announcesPerSec ? b : a)));
      }
    }
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, `cluster-${run.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(run, null, 2) + '\n');
    const readmePath = join(o.out, 'README.md');
    const md = renderCluster(run);
    writeFileSync(readmePath, withSection(existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '# Tracker load bench\n', md));
    console.log(md);
  } finally {
    redis.disconnect();
    if (started !== undefined) {
      const exited = new Promise((r) => started.proc.once('exit', r));
      started.proc.kill('SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
  }
}
