#!/usr/bin/env node
// `shoal-hash`: segment hash manifests for Shoal (see --help). In a source checkout the
// TypeScript source runs through tsx; an installed package runs the build in dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/shoal-hash.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import(new URL('../dist/shoal-hash.js', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
