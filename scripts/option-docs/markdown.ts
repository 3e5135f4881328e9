/** One option table as a README table: option, default, accepted values, meaning. */
import type { OptionRow, OptionTable, Unit } from '../../packages/core/src/options/index.js';

const KiB = 1024;
const UNITS_OF_BYTES: ReadonlyArray<[number, string]> = [
  [KiB * KiB * KiB, 'GiB'],
  [KiB * KiB, 'MiB'],
  [KiB, 'KiB'],
];

export function markdownTable(table: OptionTable, docs: ReadonlyMap<string, string>): string {
  const lines = ['| option | default | accepts | meaning |', '| --- | --- | --- | --- |'];
  for (const [name, row] of Object.entries(table)) {
    const doc = docs.get(name);
    if (doc === undefined) throw new Error(`option ${name} has no doc`);
    lines.push(`| \`${name}\` | ${cell(defaultText(row))} | ${cell(acceptsText(row))} | ${cell(doc)} |`);
  }
  return lines.join('\n');
}

function defaultText(row: OptionRow): string {
  if (row.defaultText !== undefined) return row.defaultText;
  if (row.kind === 'int' || row.kind === 'number') return amount(row.default, row.unit);
  if (typeof row.default === 'string') return `\`'${row.default}'\``;
  return `\`${JSON.stringify(row.default)}\``;
}

function acceptsText(row: OptionRow): string {
  switch (row.kind) {
    case 'int':
    case 'number':
      return `${row.kind === 'int' ? 'integer, ' : ''}${amount(row.min, row.unit)} to ${amount(row.max, row.unit)}`;
    case 'choice':
      return row.values
        .map((v) => `\`'${v}'\``)
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1');
    case 'boolean':
      return '`true` or `false`';
    default:
      return row.accepts.replace(/^an? /, '');
  }
}

/** 4194304 bytes/s -> '4 MiB/s', 1500 ms -> '1500 ms', 20000 -> '20 000', Infinity -> 'unlimited'. */
function amount(n: number, unit: Unit | undefined): string {
  if (n === Number.POSITIVE_INFINITY) return 'unlimited';
  if (unit === 'bytes' || unit === 'bytes/s') {
    const [size, name] = UNITS_OF_BYTES.find(([unitBytes]) => n >= unitBytes && n % unitBytes === 0) ?? [1, 'bytes'];
    return `${grouped(n / size)} ${name}${unit === 'bytes/s' ? '/s' : ''}`;
  }
  return unit ? `${grouped(n)} ${unit}` : grouped(n);
}

function grouped(n: number): string {
  return n >= 10_000 ? String(n).replace(/\B(?=(\d{3})+$)/g, ' ') : String(n);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
