/**
 * The viewer sessions whose last cumulative report is remembered (so the next one counts only
 * its difference), bounded so that no address can crowd out the others:
 * - one address holds at most `perAddress` sessions; its newcomer beyond that replaces its own
 *   least recently reported session;
 * - when the whole table is full, a newcomer replaces the oldest ended session (final report
 *   received: that viewer is gone), else its own address's oldest; live sessions of other
 *   addresses are never dropped for it. Only when neither exists is it refused.
 * Dropping a session is safe: a report that arrives for it later starts a new one, and what that
 * one can add is bounded by its connection's allowance (see ingest.ts).
 */
import type { Counters } from './report.js';

export interface Session {
  c: Counters;
  /** Wall-clock ms of the last accepted report. */
  at: number;
  final: boolean;
  /** Address the reports came from. */
  readonly ip: string;
}

export interface SessionLimits {
  readonly total: number;
  readonly perAddress: number;
}

export class SessionTable {
  private readonly all = new Map<string, Session>();
  /** Per address, its session keys, least recently reported first. */
  private readonly byIp = new Map<string, Set<string>>();
  /** Ended sessions, oldest first: the first to go when the table is full. */
  private readonly ended = new Set<string>();

  constructor(private readonly limits: SessionLimits) {}

  get size(): number {
    return this.all.size;
  }

  get(key: string): Session | undefined {
    return this.all.get(key);
  }

  entries(): IterableIterator<[string, Session]> {
    return this.all.entries();
  }

  /** Whether a new session from `ip` could be added now (making room as described above). */
  hasRoom(ip: string): boolean {
    return this.all.size < this.limits.total || this.ended.size > 0 || (this.byIp.get(ip)?.size ?? 0) > 0;
  }

  /** Adds a new session (call hasRoom first); may drop another to make room. */
  add(key: string, s: Session): void {
    const own = this.byIp.get(s.ip);
    if (own !== undefined && own.size >= this.limits.perAddress) this.delete(first(own)!);
    else if (this.all.size >= this.limits.total) {
      const victim = first(this.ended) ?? (own !== undefined ? first(own) : undefined);
      if (victim === undefined) return;
      this.delete(victim);
    }
    this.all.set(key, s);
    let keys = this.byIp.get(s.ip);
    if (keys === undefined) this.byIp.set(s.ip, (keys = new Set()));
    keys.add(key);
    if (s.final) this.ended.add(key);
  }

  /** Records an accepted report on an existing session (it becomes its address's most recent). */
  update(key: string, s: Session, c: Counters, at: number, final: boolean): void {
    s.c = c;
    s.at = at;
    if (final && !s.final) this.ended.add(key);
    s.final = final;
    const keys = this.byIp.get(s.ip);
    keys?.delete(key);
    keys?.add(key);
  }

  delete(key: string): void {
    const s = this.all.get(key);
    if (s === undefined) return;
    this.all.delete(key);
    this.ended.delete(key);
    const keys = this.byIp.get(s.ip);
    keys?.delete(key);
    if (keys?.size === 0) this.byIp.delete(s.ip);
  }
}

function first<T>(set: Set<T>): T | undefined {
  const it = set.values().next();
  return it.done === true ? undefined : it.value;
}
