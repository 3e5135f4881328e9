/**
 * Which option table goes where in which README. `npm run docs:options` rewrites each section
 * between its markers; test/docs/option-docs.test.ts fails when a README and its tables disagree.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENGINE_OPTIONS } from '../../packages/core/src/engine/config.js';
import { FETCH_HTTP_OPTIONS } from '../../packages/core/src/adapters/fetch-http.js';
import { STATS_REPORTER_OPTIONS } from '../../packages/core/src/adapters/stats-reporter.js';
import { TRACKER_DIRECTORY_OPTIONS } from '../../packages/core/src/adapters/tracker-directory.js';
import { VERIFIER_OPTIONS } from '../../packages/core/src/integrity/verifier.js';
import type { OptionTable } from '../../packages/core/src/options/index.js';
import { SHOAL_OPTIONS } from '../../packages/core/src/facade/options.js';
import { markdownTable } from './markdown.js';
import { rowDocs, type TableSource } from './row-docs.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const FIX_COMMAND = 'npm run docs:options';

interface Section extends TableSource {
  readonly table: OptionTable;
  /** README (from the repository root) and the id in its markers. */
  readonly readme: string;
  readonly id: string;
}

const SECTIONS: readonly Section[] = [
  { readme: 'README.md', id: 'shoal', table: SHOAL_OPTIONS, file: 'packages/core/src/facade/options.ts', name: 'SHOAL_OPTIONS' },
  {
    readme: 'packages/core/README.md',
    id: 'engine',
    table: ENGINE_OPTIONS,
    file: 'packages/core/src/engine/config.ts',
    name: 'ENGINE_OPTIONS',
  },
  {
    readme: 'packages/core/README.md',
    id: 'verifier',
    table: VERIFIER_OPTIONS,
    file: 'packages/core/src/integrity/verifier.ts',
    name: 'VERIFIER_OPTIONS',
  },
  {
    readme: 'packages/core/README.md',
    id: 'tracker-directory',
    table: TRACKER_DIRECTORY_OPTIONS,
    file: 'packages/core/src/adapters/tracker-directory.ts',
    name: 'TRACKER_DIRECTORY_OPTIONS',
  },
  {
    readme: 'packages/core/README.md',
    id: 'stats-reporter',
    table: STATS_REPORTER_OPTIONS,
    file: 'packages/core/src/adapters/stats-reporter.ts',
    name: 'STATS_REPORTER_OPTIONS',
  },
  {
    readme: 'packages/core/README.md',
    id: 'fetch-http',
    table: FETCH_HTTP_OPTIONS,
    file: 'packages/core/src/adapters/fetch-http.ts',
    name: 'FETCH_HTTP_OPTIONS',
  },
];

export const README_FILES = [...new Set(SECTIONS.map((s) => s.readme))];

/** The README as the tables say it should read (every section between its markers regenerated). */
export function generatedReadme(readme: string): string {
  let text = readFileSync(`${REPO_ROOT}/${readme}`, 'utf8');
  for (const section of SECTIONS.filter((s) => s.readme === readme)) {
    const start = `<!-- options:${section.id}:start`;
    const end = `<!-- options:${section.id}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${readme} lacks the markers '${start} ... -->' and '${end}' for the ${section.name} table`);
    const startLine = `${start} (generated from ${section.file} by ${FIX_COMMAND}: edit the table there) -->`;
    const table = markdownTable(section.table, rowDocs(REPO_ROOT, section, SECTIONS));
    text = `${text.slice(0, from)}${startLine}\n${table}\n${text.slice(to)}`;
  }
  return text;
}
