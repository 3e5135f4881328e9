/** Fault rules for tests of bad origins: validation, matching and per-rule use counts. */
import type { FaultRule } from './types.js';

/** What to do to one response. */
export interface Fault {
  status?: number;
  delayMs?: number;
  truncateTo?: number;
  wrongLength?: boolean;
}

interface ActiveRule {
  rule: FaultRule;
  regex: RegExp | undefined;
  used: number;
}

export class FaultError extends Error {
  override name = 'FaultError';
}

function optionalInt(r: Record<string, unknown>, key: string, min: number, max: number): void {
  const v = r[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new FaultError(`fault.${key} must be an integer in [${min}, ${max}]`);
  }
}

/** Check untrusted input (e.g. the JSON body of POST /faults). */
export function validateFaults(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) throw new FaultError('faults must be an array');
  return input.map((item, i) => {
    if (typeof item !== 'object' || item === null) throw new FaultError(`fault ${i} is not an object`);
    const r = item as Record<string, unknown>;
    if (!(typeof r.match === 'string' || r.match instanceof RegExp)) {
      throw new FaultError(`fault ${i}: match must be a string`);
    }
    optionalInt(r, 'status', 100, 599);
    optionalInt(r, 'delayMs', 0, 600_000);
    optionalInt(r, 'truncateTo', 0, Number.MAX_SAFE_INTEGER);
    optionalInt(r, 'times', 0, Number.MAX_SAFE_INTEGER);
    if (r.wrongLength !== undefined && typeof r.wrongLength !== 'boolean') {
      throw new FaultError(`fault ${i}: wrongLength must be a boolean`);
    }
    const known = new Set(['match', 'status', 'delayMs', 'truncateTo', 'wrongLength', 'times']);
    const unknown = Object.keys(r).filter((k) => !known.has(k));
    if (unknown.length > 0) throw new FaultError(`fault ${i}: unknown field(s) ${unknown.join(', ')}`);
    return { ...(r as unknown as FaultRule) };
  });
}

function compile(match: string | RegExp): RegExp | undefined {
  if (match instanceof RegExp) return match;
  try {
    return new RegExp(match);
  } catch {
    return undefined; // not a valid pattern: substring matching only
  }
}

export class FaultTable {
  private rules: ActiveRule[] = [];

  set(rules: FaultRule[]): void {
    this.rules = validateFaults(rules).map((rule) => ({ rule, regex: compile(rule.match), used: 0 }));
  }

  /** Rules with their use counts, for GET /faults. */
  list(): Array<FaultRule & { used: number }> {
    return this.rules.map(({ rule, used }) => ({
      ...rule,
      match: rule.match instanceof RegExp ? rule.match.source : rule.match,
      used,
    }));
  }

  /**
   * The fault for a request path: the first rule that matches (substring, or RegExp source) and
   * has uses left. Taking it consumes one use.
   */
  take(path: string): Fault | undefined {
    for (const r of this.rules) {
      if (r.rule.times !== undefined && r.used >= r.rule.times) continue;
      const { match } = r.rule;
      const hit = (typeof match === 'string' && path.includes(match)) || (r.regex !== undefined && path.search(r.regex) >= 0);
      if (!hit) continue;
      r.used++;
      const { status, delayMs, truncateTo, wrongLength } = r.rule;
      const f: Fault = {};
      if (status !== undefined) f.status = status;
      if (delayMs !== undefined) f.delayMs = delayMs;
      if (truncateTo !== undefined) f.truncateTo = truncateTo;
      if (wrongLength !== undefined) f.wrongLength = wrongLength;
      return f;
    }
    return undefined;
  }
}
