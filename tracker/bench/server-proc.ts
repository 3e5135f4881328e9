/**
 * Server under test (child process): Shoal's tracker or bittorrent-tracker's server, on a free
 * loopback port. Answers {cmd:'mem'} with memory figures after a full GC (run with --expose-gc).
 * A second argument (JSON: redis, redisPrefix, nodeId, ...) makes the Shoal tracker a cluster node.
 */
import { startTracker } from '../src/index.js';

export type ServerKind = 'shoal' | 'bittorrent-tracker';

interface BtServer {
  on(event: string, fn: (...args: unknown[]) => void): void;
  listen(port: number, host: string, cb: () => void): void;
  ws: { address(): { port: number } };
  close(cb?: () => void): void;
}
type BtServerCtor = new (opts: Record<string, unknown>) => BtServer;

const BT_SERVER_MODULE = 'bittorrent-tracker/server';
const kind = process.argv[2] as ServerKind;
export interface NodeArgs {
  readonly redis?: string;
  readonly redisPrefix?: string;
  readonly nodeId?: string;
  readonly maxPendingOffersPerPeer?: number;
}
const nodeArgs = JSON.parse(process.argv[3] ?? '{}') as NodeArgs;

async function start(): Promise<number> {
  if (kind === 'shoal') {
    const t = await startTracker({
      port: 0,
      logLevel: 'warn',
      // The closed loop is a flood by design, and every client comes from 127.0.0.1.
      maxConnectionsPerIp: 1_000_000,
      messagesPerSecond: 1_000_000,
      messageBurst: 1_000_000,
      ...nodeArgs,
    });
    return t.port;
  }
  const { default: Server } = (await import(BT_SERVER_MODULE)) as { default: BtServerCtor };
  const s = new Server({ udp: false, http: false, ws: true, stats: false });
  s.on('warning', () => undefined);
  s.on('error', (err) => console.error('bittorrent-tracker error', err));
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s.ws.address().port;
}

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'mem') {
    gc?.();
    gc?.();
    const u = process.memoryUsage();
    process.send?.({ type: 'mem', rss: u.rss, heapUsed: u.heapUsed, heapTotal: u.heapTotal, external: u.external });
  } else if (m.cmd === 'exit') process.exit(0);
});
start().then(
  (port) => process.send?.({ type: 'ready', port }),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
