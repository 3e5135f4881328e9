/** Regenerates the README option tables from the option tables in the source (`npm run docs:options`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { generatedReadme, README_FILES, REPO_ROOT } from './option-docs/sections.js';

for (const readme of README_FILES) {
  const path = `${REPO_ROOT}/${readme}`;
  const next = generatedReadme(readme);
  if (next === readFileSync(path, 'utf8')) continue;
  writeFileSync(path, next);
  console.log(`updated ${readme}`);
}
