/**
 * Run the local origin:
 *   npx tsx --conditions=source kit/src/origin/cli.ts --port 8080 --root kit/media
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MEDIA_ROOT, startOrigin } from './index.js';

const HELP = `Shoal local HLS origin

Usage: tsx --conditions=source kit/src/origin/cli.ts [options]

Options:
  --port N          port to listen on (default 8080; 0 = ephemeral)
  --host ADDR       interface (default 127.0.0.1)
  --root DIR        directory of stream folders (default kit/media)
  --live-window N   segments per live playlist (default 6)
  -h, --help        show this help

Routes:
  GET  /vod/<stream>/<path>    static files (Range, HEAD, CORS)
  GET  /live/<stream>/<path>   the stream as a looping live sliding window
  GET  /stats                  request/byte counters (JSON);  POST /stats/reset
  GET  /faults                 fault rules;  POST /faults  [{"match":"seg_","status":500,"times":1}]
`;

function fail(msg: string): never {
  process.stderr.write(`origin: ${msg}\n\n${HELP}`);
  process.exit(2);
}

function intOption(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        root: { type: 'string' },
        'live-window': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const root = path.resolve(values.root ?? DEFAULT_MEDIA_ROOT);
  if (!existsSync(root)) fail(`root ${root} does not exist`);
  const origin = await startOrigin({
    root,
    port: intOption(values.port, 'port', 8080, 0),
    host: values.host ?? '127.0.0.1',
    liveWindow: intOption(values['live-window'], 'live-window', 6, 1),
  });

  const streams = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, 'master.m3u8')))
    .map((d) => d.name)
    .sort();
  const lines = [`origin listening on ${origin.url} (root ${root})`];
  for (const s of streams) {
    lines.push(`  ${s}`);
    lines.push(`    VOD  ${origin.url}/vod/${encodeURIComponent(s)}/master.m3u8`);
    lines.push(`    LIVE ${origin.url}/live/${encodeURIComponent(s)}/master.m3u8`);
  }
  if (streams.length === 0) lines.push('  (no stream folders with a master.m3u8 under the root)');
  lines.push(`  stats ${origin.url}/stats   faults ${origin.url}/faults`);
  process.stdout.write(lines.join('\n') + '\n');

  const stop = (): void => {
    void origin.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`origin: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
