#!/usr/bin/env node
// `shoal-hash`: segment hash manifests for Shoal (see --help). An installed package runs the
// build in dist/; a source checkout (src/ next to this file, tsx installed) runs the TypeScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/shoal-hash.ts', import.meta.url);
const tsx = existsSync(fileURLToPath(source)) ? await import('tsx/esm/api').catch(() => undefined) : undefined;
let cli;
if (tsx) {
  tsx.register();
  cli = await import(source.href);
} else {
  cli = await import(new URL('../dist/shoal-hash.js', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
