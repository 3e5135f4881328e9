/**
 * Builds a validated TrackerConfig from layered sources (defaults < config file < env < CLI <
 * programmatic overrides). Every error names the field and where the bad value came from.
 */
import { parseProxyEntry } from '../http/client-address.js';
import { defaultConfig, envName, FIELD_NAMES, FIELDS, flagName, type FieldName, type FieldSpec, type TrackerConfig } from './fields.js';

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`Invalid config: ${field}: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  /** Parsed JSON of the config file (an object), and its path for messages. */
  readonly file?: { readonly path: string; readonly value: unknown };
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values of --flags as given on the command line, keyed by field name. */
  readonly cli?: Readonly<Partial<Record<FieldName, string>>>;
  readonly overrides?: Readonly<Partial<TrackerConfig>>;
}

type Value = TrackerConfig[FieldName];

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Converts a typed value (file JSON or programmatic) after checking it fits the field. */
function fromTyped(name: FieldName, spec: FieldSpec, v: unknown, where: string): Value {
  const fail = (what: string): never => {
    throw new ConfigError(name, `${what} (got ${show(v)} from ${where})`);
  };
  switch (spec.kind) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) return fail('must be an integer');
      if (v < spec.min || v > spec.max) return fail(`must be between ${spec.min} and ${spec.max}`);
      return v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail('must be a number');
      if (v < spec.min || v > spec.max) return fail(`must be between ${spec.min} and ${spec.max}`);
      return v;
    case 'bool':
      return typeof v === 'boolean' ? v : fail('must be true or false');
    case 'string':
      return typeof v === 'string' ? v : fail('must be a string');
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v) ? v : fail(`must be one of ${spec.values.join(', ')}`);
    case 'list':
      if (typeof v === 'string') return splitList(v);
      if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) return fail('must be an array of strings');
      return v.map((x) => x.trim()).filter((x) => x.length > 0);
  }
}

function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/** Converts a string from env or CLI into the field's type, then checks it. */
function fromString(name: FieldName, spec: FieldSpec, raw: string, where: string): Value {
  const s = raw.trim();
  switch (spec.kind) {
    case 'int':
      if (!/^-?\d+$/.test(s)) throw new ConfigError(name, `must be an integer (got ${show(raw)} from ${where})`);
      return fromTyped(name, spec, Number(s), where);
    case 'number':
      if (!/^-?(\d+\.?\d*|\.\d+)$/.test(s)) throw new ConfigError(name, `must be a number (got ${show(raw)} from ${where})`);
      return fromTyped(name, spec, Number(s), where);
    case 'bool': {
      const t = s.toLowerCase();
      if (['true', '1', 'yes', 'on', ''].includes(t)) return true;
      if (['false', '0', 'no', 'off'].includes(t)) return false;
      throw new ConfigError(name, `must be true or false (got ${show(raw)} from ${where})`);
    }
    case 'list':
      return splitList(s);
    default:
      return fromTyped(name, spec, s, where);
  }
}

function isFieldName(key: string): key is FieldName {
  return Object.prototype.hasOwnProperty.call(FIELDS, key);
}

export function resolveConfig(sources: ConfigSources = {}): TrackerConfig {
  const cfg = defaultConfig() as unknown as Record<FieldName, Value>;
  const set = (name: FieldName, v: Value) => {
    cfg[name] = v;
  };

  if (sources.file) {
    const { path, value } = sources.file;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError('(file)', `${path} must contain a JSON object`);
    }
    for (const [key, v] of Object.entries(value)) {
      if (!isFieldName(key)) throw new ConfigError(key, `unknown field in ${path}`);
      set(key, fromTyped(key, FIELDS[key], v, path));
    }
  }
  if (sources.env) {
    for (const name of FIELD_NAMES) {
      const raw = sources.env[envName(name)];
      if (raw !== undefined) set(name, fromString(name, FIELDS[name], raw, `env ${envName(name)}`));
    }
  }
  if (sources.cli) {
    for (const name of FIELD_NAMES) {
      const raw = sources.cli[name];
      if (raw !== undefined) set(name, fromString(name, FIELDS[name], raw, `--${flagName(name)}`));
    }
  }
  if (sources.overrides) {
    for (const [key, v] of Object.entries(sources.overrides)) {
      if (v === undefined) continue;
      if (!isFieldName(key)) throw new ConfigError(key, 'unknown field');
      set(key, fromTyped(key, FIELDS[key], v, 'options'));
    }
  }
  const out = cfg as unknown as TrackerConfig;
  checkRelations(out);
  return out;
}

function checkRelations(c: TrackerConfig): void {
  if (c.minIntervalSec > c.intervalSec) {
    throw new ConfigError('minIntervalSec', `must not exceed intervalSec (${c.minIntervalSec} > ${c.intervalSec})`);
  }
  if (c.messageBurst < 1) throw new ConfigError('messageBurst', 'must be at least 1');
  if ((c.tlsCert === '') !== (c.tlsKey === '')) {
    throw new ConfigError(c.tlsCert === '' ? 'tlsCert' : 'tlsKey', 'tlsCert and tlsKey must be given together');
  }
  for (const o of c.allowedOrigins) {
    if (o !== '*' && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(o)) {
      throw new ConfigError('allowedOrigins', `${show(o)} is not an origin like https://example.com (no path, no trailing slash)`);
    }
  }
  if (c.redis !== '' && !/^rediss?:\/\/[^\s]+$/.test(c.redis)) {
    throw new ConfigError('redis', `${show(c.redis)} is not a URL like redis://127.0.0.1:6379`);
  }
  if (!/^[A-Za-z0-9:._-]{0,64}$/.test(c.redisPrefix)) throw new ConfigError('redisPrefix', 'must be at most 64 of A-Z a-z 0-9 : . _ -');
  if (!/^[A-Z]{3}$/.test(c.egressCurrency)) throw new ConfigError('egressCurrency', 'must be a 3-letter currency code like USD');
  if (!/^[A-Za-z0-9._-]{0,64}$/.test(c.nodeId)) throw new ConfigError('nodeId', 'must be at most 64 of A-Z a-z 0-9 . _ -');
  if (c.clusterPeerTtlMs !== 0 && c.clusterPeerTtlMs < 1000)
    throw new ConfigError('clusterPeerTtlMs', 'must be 0 (automatic) or at least 1000');
  for (const p of c.trustedProxies) {
    if (parseProxyEntry(p) === undefined)
      throw new ConfigError('trustedProxies', `${show(p)} is not an address or CIDR like 10.0.0.0/8 or ::1`);
  }
  for (const s of c.tokenSecrets) {
    if (s.length < 16) throw new ConfigError('tokenSecrets', 'each secret must be at least 16 characters');
  }
}
