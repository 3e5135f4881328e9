/**
 * This tracker as a node of a cluster: its Redis link, shared membership, inbox relay and the
 * heartbeat that keeps its peers and its stats snapshot alive in Redis (every ttl/3). Without a
 * heartbeat for ttl, a node's peers expire from the membership and it drops off the node list.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { TrackerConfig } from '../config/fields.js';
import type { Logger } from '../logger.js';
import type { ApiStats } from '../stats/api.js';
import type { Registry } from '../swarm/registry.js';
import { mergeStats, type ClusterApiStats, type NodeSnapshot } from './aggregate.js';
import { RedisMembership } from './membership.js';
import { RedisLink } from './redis-link.js';
import { inboxChannel, RedisRelay, type LocalDelivery } from './relay.js';
import { defineScripts } from './scripts.js';

/** Most nodes read for the cluster stats. */
const MAX_NODES = 200;
const STATS_CACHE_MS = 1000;

export type ClusterConfig = Pick<
  TrackerConfig,
  'redis' | 'redisPrefix' | 'nodeId' | 'clusterPeerTtlMs' | 'intervalSec' | 'maxPeersPerSwarm' | 'maxMessageBytes'
>;

export interface ClusterHealth {
  readonly nodeId: string;
  readonly redis: 'up' | 'down';
  readonly relayed: { readonly sent: number; readonly received: number; readonly dropped: number; readonly failed: number };
  readonly redisFailures: number;
}

export function defaultNodeId(): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '')
      .slice(0, 40) || 'node';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export class ClusterNode {
  readonly nodeId: string;
  readonly ttlMs: number;
  readonly membership: RedisMembership;
  readonly relay: RedisRelay;
  private readonly link: RedisLink;
  private readonly prefix: string;
  private timer: NodeJS.Timeout | undefined;
  private url = '';
  private cached: { at: number; result: Promise<ClusterApiStats> } | undefined;
  private snapshot: () => ApiStats = () => {
    throw new Error('cluster node not started');
  };

  constructor(
    cfg: ClusterConfig,
    registry: Registry,
    private readonly log: Logger,
  ) {
    this.nodeId = cfg.nodeId !== '' ? cfg.nodeId : defaultNodeId();
    this.ttlMs = cfg.clusterPeerTtlMs > 0 ? cfg.clusterPeerTtlMs : cfg.intervalSec * 1500;
    this.prefix = cfg.redisPrefix;
    this.link = new RedisLink(cfg.redis, log.child({ node: this.nodeId }), () => void this.beat());
    const redis = defineScripts(this.link.cmd);
    const onError = (err: unknown, what: string) =>
      log.debug({ err: err instanceof Error ? err.message : String(err), what }, 'redis command failed; answered locally');
    this.membership = new RedisMembership(
      redis,
      () => this.link.up,
      registry,
      {
        nodeId: this.nodeId,
        prefix: this.prefix,
        ttlMs: this.ttlMs,
        maxPeersPerSwarm: cfg.maxPeersPerSwarm,
      },
      onError,
    );
    // A relayed description is at most what a client may send in one message.
    this.relay = new RedisRelay(redis, this.prefix, this.nodeId, registry, cfg.maxMessageBytes);
    registry.onLeave = (m) => this.membership.leave(m);
  }

  get redisUp(): boolean {
    return this.link.up;
  }

  /** Subscribes to this node's inbox and starts the heartbeat. `snapshot` is this node's own stats. */
  async start(into: LocalDelivery, url: string, snapshot: () => ApiStats): Promise<void> {
    this.url = url;
    this.snapshot = snapshot;
    await this.link.start(inboxChannel(this.prefix, this.nodeId), (text) => this.relay.receive(text, into));
    this.timer = setInterval(() => void this.beat(), Math.max(200, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
    await this.beat();
    this.log.info({ node: this.nodeId, ttlMs: this.ttlMs, redis: this.link.up ? 'up' : 'down' }, 'cluster node started');
  }

  private statsKey(node: string): string {
    return `${this.prefix}stats:${node}`;
  }

  /** Refreshes this node's peers and publishes its stats snapshot. Never throws. */
  private async beat(): Promise<void> {
    if (!this.link.up) return;
    const snap: NodeSnapshot = { node: this.nodeId, url: this.url, stats: this.snapshot() };
    const r = this.link.cmd;
    await Promise.allSettled([
      this.membership.refresh(),
      r.set(this.statsKey(this.nodeId), JSON.stringify(snap), 'PX', this.ttlMs),
      r.zadd(`${this.prefix}nodes`, Date.now(), this.nodeId),
    ]);
  }

  health(): ClusterHealth {
    const c = this.relay.counters;
    return {
      nodeId: this.nodeId,
      redis: this.link.up ? 'up' : 'down',
      relayed: { sent: c.sent, received: c.received, dropped: c.dropped, failed: c.failed },
      redisFailures: this.membership.failures,
    };
  }

  /**
   * Stats of every live node, summed; this node alone (redis: down) when Redis cannot be read.
   * /api/stats is public: one merge serves every request for STATS_CACHE_MS, so a flood of
   * requests cannot turn into a flood of Redis reads.
   */
  stats(): Promise<ClusterApiStats> {
    const now = Date.now();
    if (this.cached === undefined || now - this.cached.at > STATS_CACHE_MS) this.cached = { at: now, result: this.readStats() };
    return this.cached.result;
  }

  private async readStats(): Promise<ClusterApiStats> {
    const own: NodeSnapshot = { node: this.nodeId, url: this.url, stats: this.snapshot() };
    if (!this.link.up) return mergeStats(this.nodeId, 'down', [own], undefined);
    try {
      const r = this.link.cmd;
      const nodesKey = `${this.prefix}nodes`;
      const ids = (await r.zrange(nodesKey, 0, MAX_NODES - 1)).filter((id) => id !== this.nodeId);
      const texts = ids.length > 0 ? await r.mget(ids.map((id) => this.statsKey(id))) : [];
      const snaps = [own];
      const dead: string[] = [];
      texts.forEach((t, i) => {
        const snap = t === null ? undefined : parseSnapshot(t);
        if (snap === undefined) dead.push(ids[i]!);
        else snaps.push(snap);
      });
      // A node whose snapshot expired is gone (crashed or stopped): forget it.
      if (dead.length > 0) void r.zrem(nodesKey, ...dead).catch(() => undefined);
      return mergeStats(this.nodeId, 'up', snaps, await this.membership.swarmCount());
    } catch (err) {
      this.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'cluster stats read failed');
      return mergeStats(this.nodeId, 'down', [own], undefined);
    }
  }

  /** Leaves the node list at once (its peers were removed as their sockets closed). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.link.up) {
      const r = this.link.cmd;
      await Promise.allSettled([r.del(this.statsKey(this.nodeId)), r.zrem(`${this.prefix}nodes`, this.nodeId)]);
    }
    await this.link.close();
  }
}

function parseSnapshot(text: string): NodeSnapshot | undefined {
  try {
    const v = JSON.parse(text) as Partial<NodeSnapshot>;
    const s = v.stats;
    if (typeof v.node !== 'string' || typeof v.url !== 'string' || typeof s !== 'object' || s === null) return undefined;
    if (typeof s.overall !== 'object' || !Array.isArray(s.series) || !Array.isArray(s.swarms) || typeof s.tracker !== 'object')
      return undefined;
    return v as NodeSnapshot;
  } catch {
    return undefined;
  }
}
