/**
 * The tracker as the simulated viewers meet it: the real swarm logic of @shoal/tracker (Registry:
 * membership, random picks that prefer pairs not introduced recently) behind message delays
 * instead of a WebSocket, and a SwarmDirectory per viewer that behaves as the browser's
 * TrackerDirectory does (the first announce carries no offers, its answer says how many are
 * there; then one offer per member, at most 5 per announce, re-announces at least 5 s apart,
 * offers from others refused unanswered while the engine holds all the peers it may, at most 6
 * connections being set up at once). Pairs that cannot connect fail after the connect timeout.
 */
import type { PeerTransport, SwarmDirectory } from '@shoal/core';
import { Client, Registry, type Member, type Outbox } from '@shoal/tracker/swarm';
import type { SimClock } from './sim-clock.js';

const MAX_OFFERS_PER_ANNOUNCE = 5;
const MIN_REANNOUNCE_MS = 5000;
const MAX_CONNECTING = 6;
const CONNECT_TIMEOUT_MS = 15_000;
/** bittorrent-tracker's client reconnects a lost socket after this long, then announces again. */
const RECONNECT_MS = 15_000;
/** The tracker's announce interval (its intervalSec default): clients re-announce, the count refreshes. */
const INTERVAL_MS = 120_000;

/** What the network says about a pair: whether it connects, and the time ICE + DTLS take. */
export interface PairSetup {
  connects(a: string, b: string): boolean;
  setupMs(a: string, b: string): number;
  open(initiator: string, answerer: string): [PeerTransport, PeerTransport];
}

interface Endpoint {
  readonly id: string;
  onPeer: ((transport: PeerTransport) => void) | undefined;
  wantsPeers: () => boolean;
  connecting: number;
  /** The socket is back after an outage: announce again. */
  rejoin(): void;
}

const NULL_OUTBOX = (id: number): Outbox => ({ id, ip: '10.0.0.1', send: () => {}, close: () => {} });

export class SimTracker {
  private registry = new Registry(0, 0);
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly members = new Map<string, Member>();
  private nextClient = 1;
  /** Until when the tracker is down (messages to it are lost; it comes back empty). */
  private downUntil = -1;
  announces = 0;

  constructor(
    readonly clock: SimClock,
    private readonly oneWayMs: number,
    private readonly pairs: PairSetup,
    private readonly spread: () => number,
  ) {}

  get up(): boolean {
    return this.clock.now() >= this.downUntil;
  }

  /** The tracker process stops for `ms`: every membership is lost, clients reconnect afterwards. */
  outage(ms: number): void {
    this.downUntil = this.clock.now() + ms;
    this.registry = new Registry(0, 0);
    this.members.clear();
    // Sockets reconnect on their own backoff: spread over RECONNECT_MS after the tracker is back.
    for (const endpoint of this.endpoints.values()) {
      this.clock.setTimeout(() => endpoint.rejoin(), ms + this.spread() * RECONNECT_MS);
    }
  }

  directory(selfId: string): SwarmDirectory {
    return new SimDirectory(this, selfId);
  }

  /** @internal */ register(endpoint: Endpoint): void {
    this.endpoints.set(endpoint.id, endpoint);
  }

  /** @internal */ unregister(id: string): void {
    this.endpoints.delete(id);
    const member = this.members.get(id);
    if (member) this.registry.leave(member, this.clock.now(), false);
    this.members.delete(id);
  }

  /**
   * One announce, answered after a round trip: the swarm's size then, and `offers` peers picked
   * for our offers (each relayed to its target, answered, then connected).
   */
  /** @internal */ announce(swarmId: string, id: string, offers: number, answered: (total: number) => void): void {
    this.clock.setTimeout(() => {
      if (!this.up || !this.endpoints.has(id)) return;
      this.announces++;
      const now = this.clock.now();
      let member = this.members.get(id);
      if (!member) {
        const swarm = this.registry.swarms.get(swarmId);
        const client = new Client(NULL_OUTBOX(this.nextClient++), undefined, 100, now);
        member = this.registry.join(swarm, swarmId, id, client, now);
        this.members.set(id, member);
      }
      member.lastAnnounce = now;
      const total = member.swarm.list.length;
      const targets = offers > 0 ? this.registry.pick(member.swarm, offers, member, now) : [];
      this.clock.setTimeout(() => answered(total), this.oneWayMs);
      for (const target of targets) this.clock.setTimeout(() => this.offer(id, target.peerId), this.oneWayMs);
    }, this.oneWayMs);
  }

  /** An offer reaches its target; an answer goes back through the tracker, then ICE and DTLS. */
  private offer(from: string, to: string): void {
    const a = this.endpoints.get(from);
    const b = this.endpoints.get(to);
    if (!a || !b || !b.onPeer) return;
    if (!b.wantsPeers() || b.connecting >= MAX_CONNECTING || a.connecting >= MAX_CONNECTING) return;
    a.connecting++;
    b.connecting++;
    const connects = this.pairs.connects(from, to);
    const ms = connects ? 2 * this.oneWayMs + this.pairs.setupMs(from, to) : CONNECT_TIMEOUT_MS;
    this.clock.setTimeout(() => {
      a.connecting--;
      b.connecting--;
      if (!connects || !this.endpoints.has(from) || !this.endpoints.has(to)) return;
      const [mine, theirs] = this.pairs.open(from, to);
      a.onPeer?.(mine);
      b.onPeer?.(theirs);
    }, ms);
  }
}

class SimDirectory implements SwarmDirectory {
  private swarmSize: number | undefined;
  private lastAnnounce = -Infinity;
  private swarmId: string | undefined;
  private readonly endpoint: Endpoint;
  private left = false;

  constructor(
    private readonly tracker: SimTracker,
    private readonly id: string,
  ) {
    this.endpoint = { id, onPeer: undefined, wantsPeers: () => false, connecting: 0, rejoin: () => this.announce(0) };
  }

  join(swarmId: string, onPeer: (transport: PeerTransport) => void, wantsPeers?: () => boolean): void {
    this.swarmId = swarmId;
    this.endpoint.onPeer = onPeer;
    this.endpoint.wantsPeers = wantsPeers ?? (() => true);
    this.tracker.register(this.endpoint);
    this.announce(0);
    const periodic = (): void => {
      if (this.left) return;
      this.announce(0);
      this.tracker.clock.setTimeout(periodic, INTERVAL_MS);
    };
    this.tracker.clock.setTimeout(periodic, INTERVAL_MS);
  }

  requestMorePeers(count = MAX_OFFERS_PER_ANNOUNCE): void {
    if (this.tracker.clock.now() - this.lastAnnounce < MIN_REANNOUNCE_MS) return;
    this.announce(Math.max(1, Math.min(MAX_OFFERS_PER_ANNOUNCE, Math.floor(count))));
  }

  othersInSwarm(): number | undefined {
    return this.swarmSize === undefined ? undefined : Math.max(0, this.swarmSize - 1);
  }

  leave(): void {
    this.left = true;
    this.tracker.unregister(this.id);
  }

  private announce(offers: number): void {
    if (this.left || !this.swarmId) return;
    const clock = this.tracker.clock;
    this.lastAnnounce = clock.now();
    let answered = false;
    this.tracker.announce(this.swarmId, this.id, offers, (total) => {
      answered = true;
      const first = this.swarmSize === undefined;
      this.swarmSize = total;
      if (first && total > 1) this.announce(Math.min(MAX_OFFERS_PER_ANNOUNCE, total - 1));
    });
    // No answer (the tracker is down): the socket reconnects and announces again.
    clock.setTimeout(() => {
      if (!answered && !this.left) this.announce(offers);
    }, RECONNECT_MS);
  }
}
