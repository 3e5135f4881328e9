#!/usr/bin/env -S node --max-semi-space-size=2
// shoal-tracker launcher. Runs the TypeScript source through tsx (no build step).
// --max-semi-space-size=2 caps V8's young generation at 2 MB per semi-space: the tracker's
// per-connection state is small and long-lived, so a large young generation only inflates RSS
// (see README, "Memory"). Override with NODE_OPTIONS or by running `node <flags> this-file`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
await main();
