/**
 * One table per set of options (engine, Shoal facade, verifier, adapters): the option types, the
 * defaults, the validation and the README tables all derive from it, so none can drift.
 */
import { describe, ShoalConfigError } from './config-error.js';
import type { OptionRow } from './rows.js';

export type OptionTable = { readonly [name: string]: OptionRow };

/** The resolved settings of a table: every option with its value. */
export type OptionsOf<T extends OptionTable> = { -readonly [K in keyof T]: T[K]['default'] };

/** What a caller passes: any subset, each option in its accepted form. */
export type OptionsInput<T extends OptionTable> = Partial<OptionsOf<T>>;

export function defaultsOf<T extends OptionTable>(table: T): OptionsOf<T> {
  const out: Record<string, unknown> = {};
  for (const [name, row] of Object.entries(table))
    out[name] = Array.isArray(row.default) ? [...(row.default as readonly unknown[])] : row.default;
  return out as OptionsOf<T>;
}

export interface ResolveRules {
  /** Path of the options object in error messages: 'options' gives 'options.maxPeers'. */
  readonly prefix: string;
  /**
   * What a field that is not in the table is: 'ignore' where the same object carries fields of
   * another layer (dependencies, other tables); otherwise the noun for the error, e.g. 'a Shoal
   * option', since a misspelt option would otherwise be silently ignored.
   */
  readonly unknownFields: 'ignore' | { readonly notA: string };
}

/** The defaults with the caller's fields over them; a wrong field throws a ShoalConfigError naming it and the form it takes. */
export function resolveOptionTable<T extends OptionTable>(table: T, input: unknown, rules: ResolveRules): OptionsOf<T> {
  const resolved: Record<string, unknown> = defaultsOf(table);
  if (input === undefined) return resolved as OptionsOf<T>;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ShoalConfigError(rules.prefix, `must be an object, got ${describe(input)}`);
  }
  for (const [name, value] of Object.entries(input)) {
    if (!Object.prototype.hasOwnProperty.call(table, name)) {
      if (rules.unknownFields !== 'ignore') throw unknownField(table, name, rules.prefix, rules.unknownFields.notA);
      continue;
    }
    if (value === undefined) continue;
    resolved[name] = table[name]!.parse(value, `${rules.prefix}.${name}`);
  }
  return resolved as OptionsOf<T>;
}

/** Names the field, and the option it resembles. */
function unknownField(table: OptionTable, name: string, prefix: string, notA: string): ShoalConfigError {
  const lower = name.toLowerCase();
  const near = Object.keys(table).find(
    (k) => k.toLowerCase() === lower || (name.length > 3 && k.toLowerCase().startsWith(lower.slice(0, 4))),
  );
  return new ShoalConfigError(`${prefix}.${name}`, `is not ${notA}${near ? ` (did you mean ${near}?)` : ''}`);
}
