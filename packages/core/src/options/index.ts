export { ShoalConfigError, describe, reject } from './config-error.js';
export { bool, custom, int, num, oneOf } from './rows.js';
export type { BooleanRow, ChoiceRow, CustomRow, NumberRow, OptionRow, Unit } from './rows.js';
export { defaultsOf, resolveOptionTable } from './table.js';
export type { OptionsInput, OptionsOf, OptionTable, ResolveRules } from './table.js';
