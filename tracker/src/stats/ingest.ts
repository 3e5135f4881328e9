/**
 * Turns cumulative per-viewer reports into deltas and adds them to the aggregates, after checking
 * that the reporter is (or very recently was) that peer in that swarm, from the same IP address
 * as its WebSocket, and that the deltas are plausible. See README "Stats ingestion".
 */
import { hexToBinary } from '../protocol/ids.js';
import { COUNTER_FIELDS, zeroCounters, type Counters, type CounterField, type StatsReport } from './report.js';
import type { StatsStore } from './store.js';

/** Slack added to the elapsed time when bounding deltas (clock skew, buffering before join). */
export const SLACK_SEC = 10;
/** Least time between two non-final reports of one session. */
export const MIN_REPORT_GAP_MS = 1000;

export interface MemberLookup {
  /** IP of the peer's WebSocket and ms since it joined, if it is or very recently was a member. */
  (swarmBinary: string, peerBinary: string): { readonly ip: string; readonly sinceMs: number } | undefined;
}

export interface IngestLimits {
  readonly maxBytesPerSecond: number;
  readonly maxSessions: number;
  readonly maxPeers: number;
  readonly graceMs: number;
}

interface Session {
  c: Counters;
  /** Wall-clock ms of the last accepted report. */
  at: number;
  final: boolean;
}

export type IngestResult = { readonly ok: true } | { readonly ok: false; readonly status: number; readonly code: string; readonly error: string };

export type SessionRecord = [key: string, at: number, final: boolean, ...counters: number[]];

function no(status: number, code: string, error: string): IngestResult {
  return { ok: false, status, code, error };
}

const BYTE_FIELDS: ReadonlySet<CounterField> = new Set(['httpBytes', 'p2pBytes', 'uploadBytes', 'rejectedBytes']);

export class StatsIngest {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly lookup: MemberLookup,
    private readonly store: StatsStore,
    private readonly limits: IngestLimits,
  ) {}

  get sessionCount(): number {
    return this.sessions.size;
  }

  accept(r: StatsReport, ip: string, now: number): IngestResult {
    const member = this.lookup(hexToBinary(r.swarm), hexToBinary(r.peerId));
    if (member === undefined) return no(403, 'not_member', 'peerId is not a member of this swarm on this tracker');
    if (member.ip !== ip) return no(403, 'ip_mismatch', "report does not come from the peer's WebSocket address");
    const key = r.swarm + r.peerId;
    const session = this.sessions.get(key);
    if (session?.final) return no(409, 'session_ended', 'this session already sent its final report');
    if (session === undefined && this.sessions.size >= this.limits.maxSessions) {
      return no(503, 'too_many_sessions', 'stats session table is full');
    }
    if (session !== undefined && !r.final && now - session.at < MIN_REPORT_GAP_MS) {
      return no(429, 'too_frequent', 'reports come too often');
    }
    const prev = session?.c ?? zeroCounters();
    const since = session?.at ?? now - member.sinceMs;
    const elapsedSec = Math.max(0, now - since) / 1000 + SLACK_SEC;
    const delta = zeroCounters();
    for (const f of COUNTER_FIELDS) {
      const d = r[f] - prev[f];
      if (d < 0) return no(409, 'counter_decreased', `${f} went backwards`);
      const bound = BYTE_FIELDS.has(f) ? this.limits.maxBytesPerSecond * elapsedSec : f === 'stalls' ? elapsedSec : elapsedSec * 1000;
      if (d > bound) return no(422, 'implausible', `${f} grew implausibly fast (${d} in ${elapsedSec.toFixed(1)} s)`);
      delta[f] = d;
    }
    if (r.peers > this.limits.maxPeers) return no(422, 'implausible', 'peers is larger than a swarm can be');
    const c = zeroCounters();
    for (const f of COUNTER_FIELDS) c[f] = r[f];
    if (session === undefined) this.sessions.set(key, { c, at: now, final: r.final });
    else {
      session.c = c;
      session.at = now;
      session.final = r.final;
    }
    this.store.add(r.swarm, delta, now);
    return { ok: true };
  }

  /** Forgets sessions that are quiet and whose peer is no longer in its swarm. */
  prune(now: number): void {
    const ttl = Math.max(this.limits.graceMs, 120_000);
    for (const [key, s] of this.sessions) {
      if (now - s.at <= ttl) continue;
      if (!s.final && this.lookup(hexToBinary(key.slice(0, 40)), hexToBinary(key.slice(40))) !== undefined) continue;
      this.sessions.delete(key);
    }
  }

  save(): SessionRecord[] {
    return [...this.sessions].map(([key, s]) => [key, s.at, s.final, ...COUNTER_FIELDS.map((f) => s.c[f])]);
  }

  restore(records: unknown): void {
    if (!Array.isArray(records)) return;
    for (const rec of records as unknown[]) {
      if (!Array.isArray(rec) || rec.length !== 3 + COUNTER_FIELDS.length) continue;
      const [key, at, final, ...nums] = rec as unknown[];
      if (typeof key !== 'string' || !/^[0-9a-f]{80}$/.test(key) || typeof at !== 'number' || typeof final !== 'boolean') continue;
      if (!nums.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) continue;
      const c = zeroCounters();
      COUNTER_FIELDS.forEach((f, i) => (c[f] = nums[i] as number));
      if (this.sessions.size < this.limits.maxSessions) this.sessions.set(key, { c, at, final });
    }
  }
}
