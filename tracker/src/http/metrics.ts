/**
 * Prometheus metrics (prom-client), one registry per tracker instance. Values are read from the
 * tracker's plain counters at scrape time, so hot paths never touch prom-client.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Counters } from '../swarm/counters.js';
import type { Counters as ByteCounters } from '../stats/report.js';
import type { ClusterHealth } from '../cluster/node.js';
import type { StreamRow } from '../stats/stream-rows.js';
import type { Qoe } from '../stats/qoe-counts.js';
import type { EgressCost } from '../stats/range-view.js';

export interface MetricsSource {
  readonly counters: Counters;
  connections(): number;
  swarms(): number;
  peers(): number;
  statsTotals(): ByteCounters;
  /** Per-stream rows, bounded in number (stream-rows.ts). */
  streams(): readonly StreamRow[];
  /** Viewing by whether the viewer had peers (StatsStore.split). */
  qoeSplit(): { readonly peered: Qoe; readonly alone: Qoe };
  /** --egress-cost-per-gb and its currency, null when not set. */
  readonly cost: EgressCost | null;
  /** Results of POST /stats by outcome ("accepted" or an error code). */
  readonly statsResults: ReadonlyMap<string, number>;
  /** A cluster node's link and relay counters (absent for a single tracker). */
  cluster?: () => ClusterHealth;
}

const P = 'shoal_tracker_';

function counter(reg: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name: P + name,
    help,
    registers: [reg],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function labeledCounter(reg: Registry, name: string, help: string, label: string, read: () => Iterable<readonly [string, number]>): void {
  new Counter({
    name: P + name,
    help,
    labelNames: [label],
    registers: [reg],
    collect() {
      this.reset();
      for (const [k, v] of read()) this.inc({ [label]: k }, v);
    },
  });
}

function gauge(reg: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name: P + name,
    help,
    registers: [reg],
    collect() {
      this.set(read());
    },
  });
}

/**
 * A gauge or counter with one value per stream row (the tracker's current value or total for that
 * stream, read at scrape time); swarm keeps two streams of the same name apart.
 */
function streamMetric(
  kind: 'gauge' | 'counter',
  reg: Registry,
  name: string,
  help: string,
  read: () => Iterable<readonly [StreamRow, number]>,
): void {
  const Metric = kind === 'gauge' ? Gauge : Counter;
  new Metric({
    name: P + name,
    help,
    labelNames: ['swarm', 'stream'],
    registers: [reg],
    collect() {
      this.reset();
      for (const [row, v] of read()) {
        if (this instanceof Gauge) this.set({ swarm: row.swarm, stream: row.stream }, v);
        else this.inc({ swarm: row.swarm, stream: row.stream }, v);
      }
    },
  });
}

const streamGauge = streamMetric.bind(null, 'gauge');
const streamCounter = streamMetric.bind(null, 'counter');

/** Money saved, per stream and overall, when the operator gave its egress price. */
function costMetrics(reg: Registry, src: MetricsSource, cost: EgressCost): void {
  const money = (bytes: number) => (bytes / 1e9) * cost.perGb;
  new Counter({
    name: P + 'egress_saved_total',
    help: 'Origin egress P2P saved, at --egress-cost-per-gb, in the currency label.',
    labelNames: ['currency'],
    registers: [reg],
    collect() {
      this.reset();
      this.inc({ currency: cost.currency }, money(src.statsTotals().p2pBytes));
    },
  });
  streamCounter(reg, 'stream_egress_saved_total', `Origin egress P2P saved per stream, at --egress-cost-per-gb (${cost.currency}).`, () =>
    src.streams().map((r) => [r, money(r.p2pBytes)]),
  );
}

/** Viewing by whether viewers had peers (peers="yes"|"no"): QoE with P2P against without. */
function splitCounter(reg: Registry, name: string, help: string, read: (q: Qoe) => number, src: MetricsSource): void {
  labeledCounter(reg, name, help, 'peers', () => {
    const s = src.qoeSplit();
    return [
      ['yes', read(s.peered)],
      ['no', read(s.alone)],
    ];
  });
}

export function createMetrics(src: MetricsSource): Registry {
  const reg = new Registry();
  collectDefaultMetrics({ register: reg, prefix: P });
  const c = src.counters;
  gauge(reg, 'connections', 'Open WebSocket connections.', () => src.connections());
  gauge(reg, 'swarms', 'Swarms with at least one peer.', () => src.swarms());
  gauge(reg, 'peers', 'Peers (swarm memberships) across all swarms.', () => src.peers());
  counter(reg, 'connections_opened_total', 'WebSocket connections accepted.', () => c.connectionsOpened);
  counter(reg, 'announces_total', 'Announces processed (not counting answers).', () => c.announces);
  counter(reg, 'answers_total', 'Answer messages received.', () => c.answers);
  counter(reg, 'scrapes_total', 'Scrapes answered.', () => c.scrapes);
  counter(reg, 'joins_total', 'Peers that joined a swarm.', () => c.joins);
  labeledCounter(reg, 'relays_total', 'Signalling messages relayed, by kind.', 'kind', () => [
    ['offer', c.offersRelayed],
    ['answer', c.answersRelayed],
  ]);
  labeledCounter(reg, 'rejections_total', 'Refused messages, upgrades and closed sockets, by reason.', 'reason', () => c.rejections);
  labeledCounter(reg, 'stats_reports_total', 'Stats reports received, by outcome.', 'result', () => src.statsResults);
  const t = () => src.statsTotals();
  labeledCounter(reg, 'bytes_total', 'Bytes reported by viewers, by source (http, p2p, upload, rejected).', 'source', () => {
    const x = t();
    return [
      ['http', x.httpBytes],
      ['p2p', x.p2pBytes],
      ['upload', x.uploadBytes],
      ['rejected', x.rejectedBytes],
    ];
  });
  gauge(reg, 'offload_ratio', 'Share of reported bytes that came from peers (p2p / (http + p2p)).', () => {
    const x = t();
    return x.httpBytes + x.p2pBytes > 0 ? x.p2pBytes / (x.httpBytes + x.p2pBytes) : 0;
  });
  counter(reg, 'stalls_total', 'Playback stalls reported by viewers.', () => t().stalls);
  counter(reg, 'stall_seconds_total', 'Time spent stalled, reported by viewers.', () => t().stallMs / 1000);
  counter(reg, 'playing_seconds_total', 'Playing time reported by viewers.', () => t().playingMs / 1000);
  streamGauge(reg, 'stream_viewers', 'Viewers per stream (top streams by name, the rest as "other").', () =>
    src.streams().map((r) => [r, r.viewers]),
  );
  streamGauge(reg, 'stream_offload_ratio', 'Share of reported bytes from peers, per stream (p2p / (http + p2p)).', () =>
    src.streams().map((r) => [r, r.httpBytes + r.p2pBytes > 0 ? r.p2pBytes / (r.httpBytes + r.p2pBytes) : 0]),
  );
  streamCounter(reg, 'stream_bytes_saved_total', 'Origin bytes saved per stream (bytes from peers).', () =>
    src.streams().map((r) => [r, r.p2pBytes]),
  );
  streamCounter(reg, 'stream_stalls_total', 'Playback stalls per stream.', () => src.streams().map((r) => [r, r.stalls]));
  streamCounter(reg, 'stream_stall_seconds_total', 'Time stalled per stream.', () => src.streams().map((r) => [r, r.stallMs / 1000]));
  streamCounter(reg, 'stream_playing_seconds_total', 'Playing time per stream.', () => src.streams().map((r) => [r, r.playingMs / 1000]));
  const peersHelp = ' by whether the viewer had peers in that report (peers="yes"|"no").';
  splitCounter(reg, 'qoe_playing_seconds_total', 'Playing time' + peersHelp, (q) => q.playingMs / 1000, src);
  splitCounter(reg, 'qoe_stall_seconds_total', 'Time stalled' + peersHelp, (q) => q.stallMs / 1000, src);
  splitCounter(reg, 'qoe_stalls_total', 'Stalls' + peersHelp, (q) => q.stalls, src);
  if (src.cost !== null) costMetrics(reg, src, src.cost);
  const cluster = src.cluster;
  if (cluster !== undefined) {
    gauge(reg, 'cluster_redis_up', '1 while this node reaches Redis, 0 while it serves its own peers only.', () =>
      cluster().redis === 'up' ? 1 : 0,
    );
    labeledCounter(reg, 'cluster_relays_total', 'Offers and answers to or from other nodes, by outcome.', 'result', () =>
      Object.entries(cluster().relayed),
    );
    counter(
      reg,
      'cluster_redis_failures_total',
      'Redis commands that failed or timed out (answered from local state instead).',
      () => cluster().redisFailures,
    );
  }
  return reg;
}
