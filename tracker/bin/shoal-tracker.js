#!/usr/bin/env -S node --max-semi-space-size=2
// shoal-tracker launcher. An installed package runs the compiled JavaScript in dist/; a source
// checkout (src/ next to this file, tsx installed) runs the TypeScript source, so it is never stale.
// --max-semi-space-size=2 caps V8's young generation at 2 MB per semi-space: the tracker's
// per-connection state is small and long-lived, so a large young generation only inflates RSS
// (see README, "Memory"). Override with NODE_OPTIONS or by running `node <flags> this-file`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli.ts', import.meta.url);
const tsx = existsSync(fileURLToPath(source)) ? await import('tsx/esm/api').catch(() => undefined) : undefined;
let cli;
if (tsx) {
  tsx.register();
  cli = await import(source.href);
} else {
  cli = await import(new URL('../dist/cli.js', import.meta.url).href);
}
await cli.main();
