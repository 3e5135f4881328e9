/** A setting that is not acceptable: thrown where options are resolved, before anything runs with them. */
export class ShoalConfigError extends Error {
  override readonly name = 'ShoalConfigError';
  /** The option at fault, as a path: 'options.trackerUrls[0]', 'options.maxPeers', 'options' for the whole object. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.field = field;
  }
}

/** A value as an error message quotes it: strings in quotes, objects by kind (never their contents). */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? 'an array' : value === null ? 'null' : 'an object';
    case 'function':
      return 'a function'; // its String() would be its source text
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'symbol':
    case 'undefined':
      return String(value);
  }
}

/** Throws the error every row uses: '<field> must be <accepts>, got <value>'. */
export function reject(field: string, accepts: string, value: unknown): never {
  throw new ShoalConfigError(field, `must be ${accepts}, got ${describe(value)}`);
}
