/**
 * Swarm membership shared by every node through Redis (layout and scripts in scripts.ts). Each
 * node writes only its own peers; it keeps them alive by refreshing them every ttl/3, so the
 * peers of a node that crashed vanish ttl after its last refresh. While Redis is unreachable,
 * every question is answered from local state (LocalMembership): local peers still find each
 * other, and once Redis is back the next refresh re-registers them all.
 */
import { binaryToHex, hexToBinary } from '../protocol/ids.js';
import { encodeFailure } from '../protocol/encode.js';
import { preferUnmet } from '../swarm/introductions.js';
import { nowMs } from '../ws/connection.js';
import {
  LocalMembership,
  type Refusal,
  type RemotePeer,
  type SwarmCounts,
  type SwarmMembership,
  type SwarmView,
  type Target,
} from '../swarm/membership.js';
import type { Member, Registry } from '../swarm/registry.js';
import { swarmKeys, type ScriptedRedis } from './scripts.js';

export interface MembershipOptions {
  readonly nodeId: string;
  readonly prefix: string;
  /** How long an entry lives without a refresh (ms). */
  readonly ttlMs: number;
  readonly maxPeersPerSwarm: number;
}

/** Peers per refresh call: keeps each script run short. */
const REFRESH_BATCH = 500;

export class RedisMembership implements SwarmMembership {
  private readonly local: LocalMembership;
  private readonly swarmsKey: string;
  /** Redis failures since start (commands that timed out or failed; answered locally instead). */
  failures = 0;
  /** Local members dropped because another node held their peer_id with an older claim. */
  ousted = 0;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly isUp: () => boolean,
    private readonly registry: Registry,
    private readonly o: MembershipOptions,
    private readonly onError: (err: unknown, what: string) => void,
  ) {
    this.local = new LocalMembership(registry);
    this.swarmsKey = `${o.prefix}swarms`;
  }

  announce(m: Member, _isNew: boolean, n: number, done: (r: SwarmView | Refusal) => void): void {
    if (!this.isUp()) return done(this.local.view(m, n));
    const k = swarmKeys(this.o.prefix, m.swarm.hex);
    const args = [
      binaryToHex(m.peerId),
      this.o.nodeId,
      this.o.ttlMs,
      m.complete ? 1 : 0,
      this.o.maxPeersPerSwarm,
      n,
      m.swarm.hex,
      m.claimedAt,
    ];
    this.redis.shoalAnnounce(k.m, k.c, k.o, k.t, this.swarmsKey, ...args).then(
      (res) => done(this.parse(m, res, n)),
      (err: unknown) => {
        this.fail(err, 'announce');
        done(this.local.view(m, n));
      },
    );
  }

  /** res holds up to 2n candidates: the n given offers are those `m` has not met recently, first. */
  private parse(m: Member, res: (string | number)[], n: number): SwarmView | Refusal {
    const status = res[0];
    if (status === 'taken') return { ok: false, code: 'peer_id_taken', reason: 'peer_id is in use by another connection' };
    if (status === 'full') return { ok: false, code: 'swarm_full', reason: `swarm is full (max ${this.o.maxPeersPerSwarm} peers)` };
    const total = Number(res[1]);
    const complete = Number(res[2]);
    m.claimedAt = Number(res[3]);
    const targets: Target[] = [];
    for (let i = 4; i + 1 < res.length; i += 2) {
      const peerId = hexToBinary(String(res[i]));
      const node = String(res[i + 1]);
      if (node !== this.o.nodeId) targets.push({ peerId, node } satisfies RemotePeer);
      else {
        // Ours: only if still here (Redis may lag a leave by a moment).
        const t = m.swarm.peers.get(peerId);
        if (t !== undefined && t !== m) targets.push(t);
      }
    }
    const now = Date.now();
    const chosen = preferUnmet(m.introduced, targets, n, now);
    this.registry.introduce(m, chosen, now);
    return { ok: true, complete, incomplete: total - complete, targets: chosen };
  }

  leave(m: Member): void {
    if (!this.isUp()) return; // expires by itself; a refresh never brings back a peer that left
    const k = swarmKeys(this.o.prefix, m.swarm.hex);
    this.redis.shoalLeave(k.m, k.c, k.o, k.t, binaryToHex(m.peerId), this.o.nodeId).catch((err: unknown) => this.fail(err, 'leave'));
  }

  counts(infoHashes: readonly string[], done: (counts: readonly SwarmCounts[]) => void): void {
    if (!this.isUp()) return done(this.local.localCounts(infoHashes));
    Promise.all(
      infoHashes.map((ih) => {
        const k = swarmKeys(this.o.prefix, binaryToHex(ih));
        return this.redis.shoalCounts(k.m, k.c);
      }),
    ).then(
      (rows) => done(rows.map(([total, complete]) => ({ complete, incomplete: total - complete }))),
      (err: unknown) => {
        this.fail(err, 'scrape');
        done(this.local.localCounts(infoHashes));
      },
    );
  }

  /**
   * Re-registers every local peer (periodically, and at once when Redis comes back). A peer_id
   * another node holds with an older claim (both admitted it while Redis was away) is dropped
   * here: the older claim keeps it, whichever node refreshed first.
   */
  async refresh(): Promise<void> {
    if (!this.isUp()) return;
    const calls: Promise<unknown>[] = [];
    for (const s of this.registry.swarms.values()) {
      const k = swarmKeys(this.o.prefix, s.hex);
      for (let i = 0; i < s.list.length; i += REFRESH_BATCH) {
        const batch = new Map<string, Member>();
        const args: (string | number)[] = [this.o.nodeId, this.o.ttlMs, s.hex];
        for (const m of s.list.slice(i, i + REFRESH_BATCH)) {
          const hex = binaryToHex(m.peerId);
          batch.set(hex, m);
          args.push(hex, m.complete ? 1 : 0, m.claimedAt);
        }
        calls.push(
          this.redis.shoalRefresh(k.m, k.c, k.o, k.t, this.swarmsKey, ...args).then(([lost, kept]) => this.settle(batch, lost, kept)),
        );
      }
    }
    // Swarms nobody refreshed are gone: keep the cluster-wide swarm count honest.
    calls.push(this.redisNow().then((now) => this.redis.zremrangebyscore(this.swarmsKey, '-inf', now)));
    const results = await Promise.allSettled(calls);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) this.fail(failed.reason, 'refresh');
  }

  /** Applies a refresh's verdict: claim times kept, members another node owns dropped. */
  private settle(batch: ReadonlyMap<string, Member>, lost: readonly string[], kept: readonly (string | number)[]): void {
    for (let i = 0; i + 1 < kept.length; i += 2) {
      const m = batch.get(String(kept[i]));
      if (m !== undefined) m.claimedAt = Number(kept[i + 1]);
    }
    for (const hex of lost) {
      const m = batch.get(hex);
      if (m === undefined || m.index < 0) continue;
      this.ousted++;
      this.registry.leave(m, nowMs(), false);
      m.client.outbox.send(encodeFailure('peer_id is in use by another connection', 'announce', m.swarm.infoHash));
    }
  }

  /** Swarms with at least one unexpired peer anywhere in the cluster. */
  async swarmCount(): Promise<number> {
    return this.redis.zcount(this.swarmsKey, `(${await this.redisNow()}`, '+inf');
  }

  /** Redis's clock in ms: expiries are written in it, whatever this machine's clock says. */
  private async redisNow(): Promise<number> {
    const [sec, usec] = await this.redis.time();
    return Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
  }

  private fail(err: unknown, what: string): void {
    this.failures++;
    this.onError(err, what);
  }
}
