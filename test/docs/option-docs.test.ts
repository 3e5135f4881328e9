import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIX_COMMAND, generatedReadme, README_FILES, REPO_ROOT } from '../../scripts/option-docs/sections.js';

describe('README option tables', () => {
  it.each(README_FILES)('%s says what the option tables in the source say', (readme) => {
    const actual = readFileSync(`${REPO_ROOT}/${readme}`, 'utf8');
    // The README tables are generated: an option, default, bound or doc changed in a table (or by
    // hand in the README) makes them disagree until the generator runs again.
    expect(actual, `${readme} and the option tables disagree: edit the table in the source, then run \`${FIX_COMMAND}\``).toBe(
      generatedReadme(readme),
    );
  });
});
