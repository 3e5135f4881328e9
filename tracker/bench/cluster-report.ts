/** Result types and the markdown of the cluster bench (1 node vs N nodes on Redis, same load). */
import type { Percentiles } from './load-proc.js';

/** Clients of the light load: few enough that little queues, so latency is mostly the path itself. */
export const LIGHT_K = 20;

export interface ClusterPhase {
  readonly label: string;
  readonly nodes: number;
  readonly redis: boolean;
  readonly k: number;
  readonly connected: number;
  readonly announcesPerSec: number;
  readonly relaysPerSec: number;
  readonly answersPerSec: number;
  readonly latencyMs: Percentiles;
  readonly relayLatencyMs: Percentiles;
  /** All tracker processes together, % of one core. */
  readonly serverCpuPct: number;
  /** redis-server (from INFO cpu), % of one core. */
  readonly redisCpuPct: number;
  /** Trackers + Redis CPU per announce (each announce carries `offers` offers, each answered). */
  readonly cpuUsPerAnnounce: number;
  readonly loadCpuPct: number;
  readonly errors: number;
  readonly loadAvg: number;
  readonly failureSamples: readonly string[];
}

export interface ClusterRun {
  readonly date: string;
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly redisVersion: string;
  readonly params: {
    k: number;
    nodes: number;
    repeat: number;
    durationSec: number;
    warmupSec: number;
    swarms: number;
    offers: number;
    sdpBytes: number;
  };
  /** Best run per label by announces/s. */
  readonly phases: ClusterPhase[];
  readonly runs: ClusterPhase[];
}

export const SECTION_START = '<!-- cluster-bench:start -->';
export const SECTION_END = '<!-- cluster-bench:end -->';

/** `readme` with its cluster section replaced by (or appended as) `section`. */
export function withSection(readme: string, section: string): string {
  const a = readme.indexOf(SECTION_START);
  const b = readme.indexOf(SECTION_END);
  const block = `${SECTION_START}\n${section.trim()}\n${SECTION_END}\n`;
  if (a >= 0 && b > a) return readme.slice(0, a) + block + readme.slice(b + SECTION_END.length + 1);
  return `${readme.trimEnd()}\n\n${block}`;
}

/** The cluster section of an existing README, to keep when the single-node bench rewrites it. */
export function sectionOf(readme: string): string | undefined {
  const a = readme.indexOf(SECTION_START);
  const b = readme.indexOf(SECTION_END);
  return a >= 0 && b > a ? readme.slice(a + SECTION_START.length, b) : undefined;
}

export function renderCluster(run: ClusterRun): string {
  const p = run.params;
  const lines = [
    '## Cluster: 1 node vs ' + p.nodes + ' nodes on Redis (`npm run bench:tracker -- --nodes ' + p.nodes + '`)',
    '',
    `${run.date} · Node ${run.node} · ${run.cpus} CPU (${run.cpuModel}) · Redis ${run.redisVersion}`,
    '',
    `Same closed loop as above, K = ${p.k} clients (saturating: every process is busy, latency is mostly queueing) and K = ${LIGHT_K} ` +
      `(light: mostly the time of the path itself) in ${p.swarms} swarms, ${p.offers} offers per announce (${p.sdpBytes}-byte SDP), ` +
      `${p.warmupSec} s warm-up, ${p.durationSec} s measured, best of ${p.repeat} interleaved runs. With N nodes, client k connects to node k mod N, ` +
      `so about (N-1)/N of the offers and answers cross nodes through Redis pub/sub, and every announce is one Lua script call on Redis ` +
      '(membership write, swarm size, random peers). "relay p50/p99" is the offer -> answer round trip a client sees: its offer relayed to a peer ' +
      "(possibly on another node), that peer's answer relayed back. Server CPU is all tracker processes together; Redis CPU comes from its INFO. " +
      'maxPendingOffersPerPeer is raised to 10 000 for every setup: the loop announces again without waiting for answers, so a lagging node ' +
      "would otherwise forget a peer's oldest offers (the cap's job) and refuse their answers.",
    '',
    '| setup | K | announces/s | relays/s | announce p50 ms | announce p99 ms | relay p50 ms | relay p99 ms | trackers CPU | Redis CPU | CPU µs/announce | errors | loadgen CPU | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const row = (r: ClusterPhase) =>
    `| ${r.label} | ${r.k} | ${r.announcesPerSec} | ${r.relaysPerSec} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ${r.relayLatencyMs.p50} | ${r.relayLatencyMs.p99} | ` +
    `${r.serverCpuPct}% | ${r.redisCpuPct}% | ${r.cpuUsPerAnnounce} | ${r.errors} | ${r.loadCpuPct}% | ${r.loadAvg} |`;
  for (const r of run.phases) lines.push(row(r));
  const pick = (k: number, redis: boolean, many: boolean) => run.phases.find((r) => r.k === k && r.redis === redis && r.nodes > 1 === many);
  const [base, one, many] = [pick(p.k, false, false), pick(p.k, true, false), pick(p.k, true, true)];
  const [lightBase, lightOne, lightMany] = [pick(LIGHT_K, false, false), pick(LIGHT_K, true, false), pick(LIGHT_K, true, true)];
  if (base !== undefined && one !== undefined && many !== undefined && lightBase && lightOne && lightMany) {
    const x = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
    lines.push(
      '',
      `On this ${run.cpus}-core machine the trackers, Redis and the load generator share the same cores, so more nodes cannot mean more ` +
        'throughput here; what the numbers show is the cost of sharing swarms. Redis adds ' +
        `${one.cpuUsPerAnnounce - base.cpuUsPerAnnounce} µs of CPU per announce on one node (${x(one.cpuUsPerAnnounce, base.cpuUsPerAnnounce)} of in-memory), ` +
        `${many.nodes} nodes cost ${many.cpuUsPerAnnounce} µs per announce in all (${x(many.cpuUsPerAnnounce, base.cpuUsPerAnnounce)}), ` +
        `and under the light load the offer -> answer round trip (p50) is ${lightBase.relayLatencyMs.p50} ms in memory, ${lightOne.relayLatencyMs.p50} ms ` +
        `through Redis on one node and ${lightMany.relayLatencyMs.p50} ms across ${many.nodes} nodes (under the saturating load: ${base.relayLatencyMs.p50}, ` +
        `${one.relayLatencyMs.p50} and ${many.relayLatencyMs.p50} ms, mostly queueing behind ${many.nodes + 2} busy processes). No failure reply or dropped ` +
        'connection in any run (errors column). On separate machines each node would get its own cores and the per-relay cost is what remains: ' +
        'one Lua call per announce, one PUBLISH per offer or answer that crosses nodes.',
    );
  }
  lines.push(
    '',
    '| every run | K | announces/s | relay p50 ms | trackers CPU | Redis CPU | errors | load avg |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of run.runs)
    lines.push(
      `| ${r.label} | ${r.k} | ${r.announcesPerSec} | ${r.relayLatencyMs.p50} | ${r.serverCpuPct}% | ${r.redisCpuPct}% | ${r.errors} | ${r.loadAvg} |`,
    );
  return lines.join('\n') + '\n';
}
