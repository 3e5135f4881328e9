/** `npm start`: runs the demo (origin + tracker + page) until Ctrl-C. */
import { parseArgs } from 'node:util';
import { startDemo } from './server.js';

const HELP = `Shoal demo: a local origin, a tracker and a page that plays a stream with P2P.

Usage: npm start -- [options]

Options:
  --port <n>           demo page port        (env DEMO_PORT, default 8080)
  --origin-port <n>    local origin port     (env ORIGIN_PORT, default 8081)
  --tracker-port <n>   tracker port          (env TRACKER_PORT, default 8000)
  --host <addr>        interface to bind     (env DEMO_HOST, default 127.0.0.1)
  -h, --help           show this help

Open the printed URL and click "Open a second viewer": the second window gets
segments from the first over WebRTC.`;

function port(name: string, flag: string | undefined, env: string | undefined, fallback: number): number {
  const raw = flag ?? env;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`demo: ${name} must be a port number 0-65535, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'origin-port': { type: 'string' },
        'tracker-port': { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`demo: ${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const env = process.env;
  const demo = await startDemo({
    port: port('--port', values.port, env['DEMO_PORT'], 8080),
    originPort: port('--origin-port', values['origin-port'], env['ORIGIN_PORT'], 8081),
    trackerPort: port('--tracker-port', values['tracker-port'], env['TRACKER_PORT'], 8000),
    host: values.host ?? env['DEMO_HOST'] ?? '127.0.0.1',
  });
  console.log(`origin  ${demo.originUrl}   tracker ${demo.trackerWsUrl}   dashboard ${demo.dashboardUrl}`);
  console.log(`\n  Shoal demo ready: open ${demo.url}  (then click "Open a second viewer" to watch P2P)   Ctrl-C to stop\n`);

  let closing = false;
  const stop = (signal: string) => {
    if (closing) {
      console.log(`demo: ${signal} again, exiting now`);
      process.exit(1);
    }
    closing = true;
    console.log(`demo: ${signal}, shutting down...`);
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('demo: error while shutting down:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
