// Stats ingestion against hostile reporters, as pure logic: a fake clock, members modelled by
// what the registry tells ingest (address, presence, times, their connection's allowance).
import { describe, expect, it } from 'vitest';
import { ReportAllowance } from '../src/stats/allowance.js';
import { StatsIngest, type MemberView } from '../src/stats/ingest.js';
import { zeroCounters, type StatsReport } from '../src/stats/report.js';
import { SessionTable, type Session } from '../src/stats/sessions.js';
import { StatsStore } from '../src/stats/store.js';
import { hexToBinary } from '../src/protocol/ids.js';

const RATE = 1_000_000;
const hex = (n: number) => n.toString(16).padStart(40, '0');

/** One tracker's view of its members, on a clock the test moves. */
class World {
  nowMs = 1_000_000;
  readonly members = new Map<string, { ip: string; joinedAt: number; present: boolean; allowance: ReportAllowance }>();
  readonly store = new StatsStore(10, 2, 10, 1000);
  readonly ingest: StatsIngest;

  constructor(limits: { maxSessions?: number; maxSessionsPerIp?: number } = {}) {
    const lookup = (swarm: string, peer: string): MemberView | undefined => {
      const m = this.members.get(swarm + peer);
      if (m === undefined) return undefined;
      return {
        ip: m.ip,
        present: m.present,
        sinceMs: this.nowMs - m.joinedAt,
        connectionLifeMs: m.allowance.lifeMs(this.nowMs),
        spent: m.allowance.spent,
      };
    };
    this.ingest = new StatsIngest(lookup, this.store, {
      maxBytesPerSecond: RATE,
      maxSessions: 100,
      maxSessionsPerIp: 100,
      maxPeers: 100,
      graceMs: 60_000,
      ...limits,
    });
  }

  connect(): ReportAllowance {
    return new ReportAllowance(this.nowMs);
  }

  join(swarm: number, peer: number, ip: string, allowance: ReportAllowance): void {
    this.members.set(hexToBinary(hex(swarm)) + hexToBinary(hex(peer)), { ip, joinedAt: this.nowMs, present: true, allowance });
  }

  leave(swarm: number, peer: number): void {
    this.members.get(hexToBinary(hex(swarm)) + hexToBinary(hex(peer)))!.present = false;
  }

  post(swarm: number, peer: number, ip: string, over: Partial<StatsReport>) {
    const r: StatsReport = { ...zeroCounters(), swarm: hex(swarm), peerId: hex(peer), peers: 1, final: false, ...over };
    return this.ingest.accept(r, ip, this.nowMs);
  }
}

describe('stats ingestion bounds what one connection reports over its life', () => {
  it('a connection that rejoins under new peer ids shares one allowance: fake p2p bytes stay within rate x life', () => {
    const w = new World();
    const conn = w.connect();
    let accepted = 0;
    // The loop: join, a final report as big as a fresh session allows, leave, rejoin.
    for (let peer = 1; peer <= 50; peer++) {
      w.join(1, peer, '198.51.100.1', conn);
      const r = w.post(1, peer, '198.51.100.1', { p2pBytes: 10 * RATE, final: true });
      if (r.ok) accepted++;
      else expect(r).toMatchObject({ status: 422, code: 'implausible_for_connection' });
      w.leave(1, peer);
      w.nowMs += 200;
    }
    // 50 rounds in 10 s of connection life: at most rate x (10 s + 1 s of slack), not 50 x 10 s.
    expect(w.store.overall.p2pBytes).toBeLessThanOrEqual(RATE * 11);
    expect(accepted).toBe(1);
  });

  it('an honest viewer keeps reporting at a real rate, through a rejoin, HTTP loaded before the join included', () => {
    const w = new World();
    const conn = w.connect();
    w.join(1, 1, '198.51.100.1', conn);
    expect(w.post(1, 1, '198.51.100.1', { httpBytes: 5 * RATE })).toEqual({ ok: true });
    for (let i = 1; i <= 10; i++) {
      w.nowMs += 10_000;
      expect(w.post(1, 1, '198.51.100.1', { httpBytes: 5 * RATE + i * RATE, p2pBytes: i * 3 * RATE, playingMs: i * 10_000 })).toEqual({
        ok: true,
      });
    }
    w.leave(1, 1);
    w.join(1, 2, '198.51.100.1', conn);
    w.nowMs += 10_000;
    expect(w.post(1, 2, '198.51.100.1', { p2pBytes: 5 * RATE, final: true })).toEqual({ ok: true });
    expect(w.store.overall).toMatchObject({ httpBytes: 15 * RATE, p2pBytes: 35 * RATE });
  });

  it('a closed connection stops earning allowance; after leaving only the final report counts', () => {
    const w = new World();
    const conn = w.connect();
    w.join(1, 1, '198.51.100.1', conn);
    w.nowMs += 5000;
    w.leave(1, 1);
    conn.close(w.nowMs);
    w.nowMs += 50_000;
    expect(w.post(1, 1, '198.51.100.1', { p2pBytes: 100 })).toMatchObject({ status: 403, code: 'member_left' });
    expect(w.post(1, 1, '198.51.100.1', { p2pBytes: 20 * RATE, final: true })).toMatchObject({ code: 'implausible_for_connection' });
    expect(w.post(1, 1, '198.51.100.1', { p2pBytes: 6 * RATE, final: true })).toEqual({ ok: true });
  });
});

describe('stats session table', () => {
  const s = (ip: string, final = false): Session => ({ c: zeroCounters(), at: 0, final, ip });

  it('one address holds at most its quota: its newcomer replaces its own oldest session', () => {
    const t = new SessionTable({ total: 10, perAddress: 3 });
    for (let i = 0; i < 8; i++) t.add(`a${i}`, s('203.0.113.1'));
    t.add('b0', s('198.51.100.2'));
    expect(t.size).toBe(4);
    expect([t.get('a5'), t.get('a6'), t.get('a7'), t.get('b0')].every((x) => x !== undefined)).toBe(true);
    expect(t.get('a0')).toBeUndefined();
  });

  it('when full, a newcomer replaces an ended session, else one of its own address, never another live one', () => {
    const t = new SessionTable({ total: 3, perAddress: 3 });
    t.add('live1', s('198.51.100.1'));
    t.add('live2', s('198.51.100.2'));
    t.add('gone', s('203.0.113.9'));
    t.update('gone', t.get('gone')!, zeroCounters(), 1, true);
    expect(t.hasRoom('203.0.113.1')).toBe(true);
    t.add('new1', s('203.0.113.1'));
    expect([t.get('gone'), t.size]).toEqual([undefined, 3]);
    expect(t.hasRoom('203.0.113.7')).toBe(false);
    expect(t.hasRoom('203.0.113.1')).toBe(true);
    t.add('new2', s('203.0.113.1'));
    expect([t.get('new1'), t.get('live1')?.ip, t.get('live2')?.ip, t.get('new2')?.ip]).toEqual([
      undefined,
      '198.51.100.1',
      '198.51.100.2',
      '203.0.113.1',
    ]);
  });

  it("the issue's join-report-leave loop cannot fill the table against honest viewers", () => {
    const w = new World({ maxSessions: 20 });
    w.join(9, 1, '198.51.100.7', w.connect());
    const attacker = w.connect();
    for (let peer = 1; peer <= 100; peer++) {
      w.join(1, peer, '203.0.113.1', attacker);
      w.post(1, peer, '203.0.113.1', { httpBytes: 10, final: true });
      w.leave(1, peer);
      w.nowMs += 1000;
    }
    expect(w.post(9, 1, '198.51.100.7', { httpBytes: 1000 })).toEqual({ ok: true });
  });
});

describe('stream labels through ingestion', () => {
  const label = (w: World) => w.store.swarmSummaries(() => 0)[0]?.label;

  it('only a member of the swarm can label it', () => {
    const w = new World();
    w.join(1, 1, '198.51.100.1', w.connect());
    // Peer 2 is a member of swarm 2 only: its label for swarm 1 is refused with the report.
    w.join(2, 2, '198.51.100.2', w.connect());
    expect(w.post(1, 2, '198.51.100.2', { label: 'Hijacked' })).toMatchObject({ status: 403, code: 'not_member' });
    expect(w.store.swarmCount).toBe(0);
    expect(w.post(1, 1, '198.51.100.1', { label: 'Main stage' })).toEqual({ ok: true });
    expect(label(w)).toBe('Main stage');
  });

  it('the label most sessions report wins; one member joining first and reporting often cannot name the stream', () => {
    const w = new World();
    const liar = w.connect();
    w.join(1, 1, '198.51.100.1', liar);
    expect(w.post(1, 1, '198.51.100.1', { label: 'Fake news' })).toEqual({ ok: true });
    expect(label(w)).toBe('Fake news');
    // The same session sending the label again votes only once.
    for (let i = 1; i <= 5; i++) {
      w.nowMs += 2000;
      expect(w.post(1, 1, '198.51.100.1', { label: 'Fake news', playingMs: i * 2000 })).toEqual({ ok: true });
    }
    for (let peer = 2; peer <= 3; peer++) {
      w.join(1, peer, `198.51.100.${peer}`, w.connect());
      expect(w.post(1, peer, `198.51.100.${peer}`, { label: 'Main stage' })).toEqual({ ok: true });
    }
    expect(label(w)).toBe('Main stage');
  });
});
