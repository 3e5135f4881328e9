/**
 * Turns cumulative per-viewer reports into deltas and adds them to the aggregates, after checking
 * that the reporter is (or, for its final report, very recently was) that peer in that swarm,
 * from the same IP address as its WebSocket, and that the deltas are plausible both for the
 * session and for everything its connection has reported over its life. See README "Stats
 * ingestion".
 */
import { hexToBinary } from '../protocol/ids.js';
import { COUNTER_FIELDS, zeroCounters, type Counters, type CounterField, type StatsReport } from './report.js';
import { SessionTable } from './sessions.js';
import type { StatsStore } from './store.js';
import { plausibleSamples, type Samples } from './samples.js';

/** Slack added to the elapsed time when bounding deltas (clock skew, loads before the join). */
export const SLACK_SEC = 10;
/**
 * Slack for what only flows between peers: peers find each other through the connection, so
 * those bytes cannot predate it (a second covers rounding).
 */
export const PEER_SLACK_SEC = 1;
/** Least time between two non-final reports of one session. */
export const MIN_REPORT_GAP_MS = 1000;

export interface MemberView {
  readonly ip: string;
  /** False when the peer has left (within the grace period): only its final report counts. */
  readonly present: boolean;
  /** Ms since it joined. */
  readonly sinceMs: number;
  /** Ms its connection has been (or was) open. */
  readonly connectionLifeMs: number;
  /** What reports from that connection have added so far; ingest adds to it. */
  readonly spent: Counters;
}

export interface MemberLookup {
  /** The peer's membership, if it is or very recently was a member. */
  (swarmBinary: string, peerBinary: string): MemberView | undefined;
}

export interface IngestLimits {
  readonly maxBytesPerSecond: number;
  readonly maxSessions: number;
  readonly maxSessionsPerIp: number;
  readonly maxPeers: number;
  readonly graceMs: number;
}

/** Accepted: the report's samples that count (absent when none do). */
export type IngestResult =
  | { readonly ok: true; readonly samples?: Samples }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly error: string };

/** key, at, final, counters..., ip (files saved before ip was kept lack it). */
export type SessionRecord = [key: string, at: number, final: boolean, ...rest: (number | string)[]];

function no(status: number, code: string, error: string): IngestResult {
  return { ok: false, status, code, error };
}

const BYTE_FIELDS: ReadonlySet<CounterField> = new Set(['httpBytes', 'p2pBytes', 'uploadBytes', 'rejectedBytes']);
const PEER_FIELDS: ReadonlySet<CounterField> = new Set(['p2pBytes', 'uploadBytes', 'rejectedBytes']);

export class StatsIngest {
  private readonly sessions: SessionTable;

  constructor(
    private readonly lookup: MemberLookup,
    private readonly store: StatsStore,
    private readonly limits: IngestLimits,
  ) {
    this.sessions = new SessionTable({ total: limits.maxSessions, perAddress: limits.maxSessionsPerIp });
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Most a counter may grow in `sec` seconds. */
  private bound(f: CounterField, sec: number): number {
    return BYTE_FIELDS.has(f) ? this.limits.maxBytesPerSecond * sec : f === 'stalls' ? sec : sec * 1000;
  }

  accept(r: StatsReport, ip: string, now: number): IngestResult {
    const member = this.lookup(hexToBinary(r.swarm), hexToBinary(r.peerId));
    if (member === undefined) return no(403, 'not_member', 'peerId is not a member of this swarm on this tracker');
    if (member.ip !== ip) return no(403, 'ip_mismatch', "report does not come from the peer's WebSocket address");
    if (!member.present && !r.final) return no(403, 'member_left', 'peerId has left this swarm: only its final report is accepted');
    const key = r.swarm + r.peerId;
    const session = this.sessions.get(key);
    if (session?.final) return no(409, 'session_ended', 'this session already sent its final report');
    if (session === undefined && !this.sessions.hasRoom(ip)) return no(503, 'too_many_sessions', 'stats session table is full');
    if (session !== undefined && !r.final && now - session.at < MIN_REPORT_GAP_MS) {
      return no(429, 'too_frequent', 'reports come too often');
    }
    const prev = session?.c ?? zeroCounters();
    const since = session?.at ?? now - member.sinceMs;
    const elapsedSec = Math.max(0, now - since) / 1000 + SLACK_SEC;
    const lifeSec = member.connectionLifeMs / 1000;
    const delta = zeroCounters();
    for (const f of COUNTER_FIELDS) {
      const d = r[f] - prev[f];
      if (d < 0) return no(409, 'counter_decreased', `${f} went backwards`);
      if (d > this.bound(f, elapsedSec)) return no(422, 'implausible', `${f} grew implausibly fast (${d} in ${elapsedSec.toFixed(1)} s)`);
      const connectionSec = lifeSec + (PEER_FIELDS.has(f) ? PEER_SLACK_SEC : SLACK_SEC);
      if (member.spent[f] + d > this.bound(f, connectionSec)) {
        return no(
          422,
          'implausible_for_connection',
          `${f}: more than its connection could carry in its ${lifeSec.toFixed(1)} s (other peer ids included)`,
        );
      }
      delta[f] = d;
    }
    if (r.peers > this.limits.maxPeers) return no(422, 'implausible', 'peers is larger than a swarm can be');
    const c = zeroCounters();
    for (const f of COUNTER_FIELDS) {
      c[f] = r[f];
      member.spent[f] += delta[f];
    }
    if (session === undefined) this.sessions.add(key, { c, at: now, final: r.final, ip });
    else this.sessions.update(key, session, c, now, r.final);
    const samples = r.samples && plausibleSamples(r.samples, session === undefined, delta.stalls, elapsedSec * 1000);
    // Only a member's report gets here, so a client can label only swarms it is in; one vote per session.
    this.store.add(r.swarm, delta, now, session === undefined ? r.label : undefined, {
      peered: r.peers > 0 || delta.p2pBytes > 0,
      startupMs: samples?.startupMs ?? [],
    });
    return samples && Object.keys(samples).length > 0 ? { ok: true, samples } : { ok: true };
  }

  /** Forgets sessions that are quiet and whose peer is no longer in its swarm. */
  prune(now: number): void {
    const ttl = Math.max(this.limits.graceMs, 120_000);
    const gone: string[] = [];
    for (const [key, s] of this.sessions.entries()) {
      if (now - s.at <= ttl) continue;
      if (!s.final && this.lookup(hexToBinary(key.slice(0, 40)), hexToBinary(key.slice(40))) !== undefined) continue;
      gone.push(key);
    }
    for (const key of gone) this.sessions.delete(key);
  }

  save(): SessionRecord[] {
    return [...this.sessions.entries()].map(([key, s]) => [key, s.at, s.final, ...COUNTER_FIELDS.map((f) => s.c[f]), s.ip]);
  }

  restore(records: unknown): void {
    if (!Array.isArray(records)) return;
    const n = COUNTER_FIELDS.length;
    for (const rec of records as unknown[]) {
      if (!Array.isArray(rec) || (rec.length !== 3 + n && rec.length !== 4 + n)) continue;
      const [key, at, final, ...rest] = rec as unknown[];
      const nums = rest.slice(0, n);
      const ip = rest[n] ?? '';
      if (
        typeof key !== 'string' ||
        !/^[0-9a-f]{80}$/.test(key) ||
        typeof at !== 'number' ||
        typeof final !== 'boolean' ||
        typeof ip !== 'string'
      )
        continue;
      if (!nums.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) continue;
      const c = zeroCounters();
      COUNTER_FIELDS.forEach((f, i) => (c[f] = nums[i] as number));
      if (this.sessions.get(key) === undefined && this.sessions.hasRoom(ip)) this.sessions.add(key, { c, at, final, ip });
    }
  }
}
