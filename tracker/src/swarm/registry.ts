/**
 * Swarms and their members. A member is one (info_hash, peer_id) bound to the connection that
 * first announced it; only that connection may act as that peer until it leaves. Swarms exist
 * only while they have members. Recently departed members are remembered briefly (bounded) so
 * their final stats report is still accepted.
 */
import type { Bucket } from './rate-limit.js';
import type { Client } from './client.js';
import { jsonId } from '../protocol/encode.js';
import { binaryToHex } from '../protocol/ids.js';
import { Introductions, preferUnmet } from './introductions.js';
import type { ReportAllowance } from '../stats/allowance.js';
import type { OfferBook } from './offer-book.js';

export class Member {
  /** Position in swarm.list (swap-remove keeps removal O(1)). */
  index = -1;
  complete = false;
  lastAnnounce: number;
  /**
   * Offers relayed to this peer and not yet answered, key offer_id + from peer_id: the member that
   * made the offer (its answer goes to that member only, not to whoever holds its peer_id later),
   * or for an offer from another node, that node.
   */
  pending: OfferBook<Member | string> | null = null;
  /** Offers this peer made to peers on other nodes, key offer_id + to peer_id: answers they may send back. */
  sentRemote: OfferBook<true> | null = null;
  readonly introduced = new Introductions();
  /**
   * In a cluster: when Redis first recorded this member's claim on its peer_id (ms, Redis clock;
   * 0 while it never did, e.g. it joined while Redis was away). The older claim wins a conflict.
   */
  claimedAt = 0;
  /** Offers this peer may still receive (maxOffersPerTargetPerSecond); filled by the handler. */
  readonly offersIn: Bucket = { tokens: 0, tokensAt: 0 };

  constructor(
    readonly swarm: Swarm,
    readonly peerId: string,
    /** The connection that holds this peer_id; reached through its outbox only. */
    readonly client: Client,
    /** Integer ms (nowMs). */
    readonly joinedAt: number,
  ) {
    this.lastAnnounce = joinedAt;
  }
}

export class Swarm {
  readonly infoHashJson: string;
  readonly peers = new Map<string, Member>();
  readonly list: Member[] = [];
  complete = 0;
  downloaded = 0;
  private hexId: string | undefined;

  constructor(readonly infoHash: string) {
    this.infoHashJson = jsonId(infoHash);
  }

  /** The info_hash as 40 hex characters (computed on first use). */
  get hex(): string {
    return (this.hexId ??= binaryToHex(this.infoHash));
  }

  get incomplete(): number {
    return this.list.length - this.complete;
  }
}

export interface Departed {
  readonly ip: string;
  readonly joinedAt: number;
  readonly leftAt: number;
  readonly allowance: ReportAllowance;
}

export interface MemberInfo {
  readonly ip: string;
  readonly joinedAt: number;
  readonly present: boolean;
  /** Of the connection that holds (or held) this peer id. */
  readonly allowance: ReportAllowance;
}

export type LeaveReason = 'stopped' | 'closed' | 'timeout';

/** Up to this many other members, a pick looks at all of them (exact, and cheap enough). */
const DENSE_UP_TO = 64;

export class Registry {
  readonly swarms = new Map<string, Swarm>();
  private readonly departed = new Map<string, Departed>();
  peerCount = 0;
  /** Told of every member that leaves (a cluster node takes it out of the shared membership). */
  onLeave: ((m: Member) => void) | null = null;

  constructor(
    private readonly maxDeparted: number,
    private readonly departedGraceMs: number,
  ) {}

  join(swarm: Swarm | undefined, infoHash: string, peerId: string, client: Client, now: number): Member {
    let s = swarm;
    if (s === undefined) {
      s = new Swarm(infoHash);
      this.swarms.set(infoHash, s);
    }
    const m = new Member(s, peerId, client, now);
    m.index = s.list.length;
    s.list.push(m);
    s.peers.set(peerId, m);
    (client.members ??= []).push(m);
    this.peerCount++;
    return m;
  }

  /** `remember` false: the peer never really joined (refused cluster-wide), keep no trace for stats. */
  leave(m: Member, now: number, remember = true): void {
    const s = m.swarm;
    if (s.peers.get(m.peerId) !== m) return;
    s.peers.delete(m.peerId);
    const last = s.list.pop()!;
    if (last !== m) {
      s.list[m.index] = last;
      last.index = m.index;
    }
    m.index = -1;
    if (m.complete) s.complete--;
    m.pending = null;
    m.sentRemote = null;
    const own = m.client.members;
    if (own !== null) {
      const i = own.indexOf(m);
      if (i >= 0) own.splice(i, 1);
      if (own.length === 0) m.client.members = null;
    }
    this.peerCount--;
    if (s.list.length === 0) this.swarms.delete(s.infoHash);
    this.onLeave?.(m);
    if (remember)
      this.remember(s.infoHash + m.peerId, { ip: m.client.ip, joinedAt: m.joinedAt, leftAt: now, allowance: m.client.allowance });
  }

  /** The connection closed: it leaves every swarm, and its stats allowance stops growing. */
  leaveAll(client: Client, now: number): void {
    client.allowance.close(now);
    let own: Member[] | null;
    while ((own = client.members) !== null && own.length > 0) this.leave(own[own.length - 1]!, now);
    client.members = null;
  }

  /**
   * Up to n distinct random members other than `self`, those it was not introduced to recently
   * first; each pick is remembered on both sides.
   */
  pick(s: Swarm, n: number, self: Member, now = Date.now()): Member[] {
    const list = s.list;
    const others = list.length - 1;
    if (n <= 0 || others <= 0) return [];
    const out = n * 3 > others || others <= DENSE_UP_TO ? this.pickDense(list, n, self, now) : this.pickSparse(list, n, self, now);
    this.introduce(self, out, now);
    return out;
  }

  /** Remembers that `self` was introduced to each target (on both sides when the target is ours). */
  introduce(self: Member, targets: readonly { readonly peerId: string }[], now: number): void {
    for (const t of targets) {
      self.introduced.record(t.peerId, now);
      if (t instanceof Member) t.introduced.record(self.peerId, now);
    }
  }

  /** Small swarm: shuffle everyone else, then take fresh pairs before recent ones. */
  private pickDense(list: readonly Member[], n: number, self: Member, now: number): Member[] {
    const others = list.filter((m) => m !== self);
    for (let k = others.length - 1; k > 0; k--) {
      const j = Math.floor(Math.random() * (k + 1));
      [others[k], others[j]] = [others[j]!, others[k]!];
    }
    return preferUnmet(self.introduced, others, n, now);
  }

  /** Large swarm: random draws, a bounded number of them spent looking for fresh pairs. */
  private pickSparse(list: readonly Member[], n: number, self: Member, now: number): Member[] {
    const out: Member[] = [];
    for (let tries = 0; out.length < n && tries < n * 8; tries++) {
      const m = list[Math.floor(Math.random() * list.length)]!;
      if (m !== self && !out.includes(m) && self.introduced.isFresh(m.peerId, now)) out.push(m);
    }
    while (out.length < n) {
      const m = list[Math.floor(Math.random() * list.length)]!;
      if (m !== self && !out.includes(m)) out.push(m);
    }
    return out;
  }

  /** Who holds (or very recently held) this peer_id in this swarm, for stats ingestion. */
  memberInfo(infoHash: string, peerId: string, now: number): MemberInfo | undefined {
    const m = this.swarms.get(infoHash)?.peers.get(peerId);
    if (m) return { ip: m.client.ip, joinedAt: m.joinedAt, present: true, allowance: m.client.allowance };
    const d = this.departed.get(infoHash + peerId);
    if (d && now - d.leftAt <= this.departedGraceMs) return { ip: d.ip, joinedAt: d.joinedAt, present: false, allowance: d.allowance };
    return undefined;
  }

  /** Drops members silent past peerTimeoutMs, expired pending offers and old departures. */
  sweep(now: number, peerTimeoutMs: number): number {
    let dropped = 0;
    for (const s of [...this.swarms.values()]) {
      for (let i = s.list.length - 1; i >= 0; i--) {
        const m = s.list[i];
        if (m === undefined) continue;
        if (now - m.lastAnnounce > peerTimeoutMs) {
          this.leave(m, now);
          dropped++;
        } else {
          if (m.pending !== null && m.pending.sweep(now) === 0) m.pending = null;
          if (m.sentRemote !== null && m.sentRemote.sweep(now) === 0) m.sentRemote = null;
        }
      }
    }
    for (const [k, d] of this.departed) {
      if (now - d.leftAt <= this.departedGraceMs) break;
      this.departed.delete(k);
    }
    return dropped;
  }

  get departedCount(): number {
    return this.departed.size;
  }

  private remember(key: string, d: Departed): void {
    if (this.departedGraceMs <= 0) return;
    this.departed.delete(key);
    this.departed.set(key, d);
    if (this.departed.size > this.maxDeparted) {
      const oldest = this.departed.keys().next();
      if (!oldest.done) this.departed.delete(oldest.value);
    }
  }
}
