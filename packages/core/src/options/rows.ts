/**
 * Rows of an option table: each knows its default, the form it accepts (for error messages and
 * the README) and how to check a value. A row's one-line doc is the JSDoc comment written above
 * it in its table: editors show it on the derived option types, `npm run docs:options` copies it
 * into the README tables, and minifiers drop it, so it costs the drop-in bundle nothing.
 */
import { reject } from './config-error.js';

/** How the README states a number: 'ms' and 's' as durations, bytes in KiB/MiB/GiB. */
export type Unit = 'ms' | 's' | 'bytes' | 'bytes/s';

interface RowBase<T> {
  readonly default: T;
  /** How the README states the default when the value does not say it (undefined, an object). */
  readonly defaultText?: string;
  /** The form a value must take, as error messages say it: 'true or false'. */
  readonly accepts: string;
  /** The value itself when acceptable; otherwise throws a ShoalConfigError naming `field`. */
  readonly parse: (value: unknown, field: string) => T;
}

export interface NumberRow extends RowBase<number> {
  readonly kind: 'int' | 'number';
  readonly min: number;
  readonly max: number;
  readonly unit?: Unit;
}
export interface BooleanRow extends RowBase<boolean> {
  readonly kind: 'boolean';
}
export interface ChoiceRow<V extends string> extends RowBase<V> {
  readonly kind: 'choice';
  readonly values: readonly V[];
}
/** Anything else (URLs, lists, objects): its own check and its own words for the form. */
export interface CustomRow<T> extends RowBase<T> {
  readonly kind: 'custom';
}

/** Any row; a table's rows keep their own types, which the option types derive from. */
export type OptionRow = NumberRow | BooleanRow | ChoiceRow<string> | CustomRow<unknown>;

function numberRow(kind: 'int' | 'number', def: number, min: number, max: number, unit: Unit | undefined): NumberRow {
  const accepts = `${kind === 'int' ? 'an integer' : 'a number'} from ${min} to ${max}`;
  const parse = (value: unknown, field: string): number => {
    const ok =
      typeof value === 'number' && !Number.isNaN(value) && (kind === 'number' || Number.isInteger(value)) && value >= min && value <= max;
    return ok ? value : reject(field, accepts, value);
  };
  return { kind, default: def, min, max, accepts, parse, unit };
}

/** A whole number from min to max. */
export const int = (def: number, min: number, max: number, unit?: Unit): NumberRow => numberRow('int', def, min, max, unit);

/** Any number from min to max (Infinity allowed where max is). */
export const num = (def: number, min: number, max: number, unit?: Unit): NumberRow => numberRow('number', def, min, max, unit);

export function bool(def: boolean): BooleanRow {
  const accepts = 'true or false';
  return {
    kind: 'boolean',
    default: def,
    accepts,
    parse: (value, field) => (typeof value === 'boolean' ? value : reject(field, accepts, value)),
  };
}

export function oneOf<const V extends string>(values: readonly V[], def: NoInfer<V>): ChoiceRow<V> {
  const accepts = `one of ${values.map((v) => `"${v}"`).join(', ')}`;
  const parse = (value: unknown, field: string): V =>
    (values as readonly unknown[]).includes(value) ? (value as V) : reject(field, accepts, value);
  return { kind: 'choice', default: def, values, accepts, parse };
}

/** A row with its own check; `parse` throws through reject() (or a ShoalConfigError of its own). */
export function custom<T>(def: T, accepts: string, parse: (value: unknown, field: string) => T, defaultText?: string): CustomRow<T> {
  return { kind: 'custom', default: def, accepts, parse, defaultText };
}
