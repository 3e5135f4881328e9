// Test environment for the cluster tests: a real redis-server on a free loopback port (no
// persistence, so a restart starts empty, as after a crash), and tracker nodes as child
// processes (so one can be SIGKILLed like a crashed machine). Every wait is bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something answers PING on the port, or rejects after ms. */
function pingRedis(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      let buf = '';
      const retry = () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server on ${port} did not answer within ${ms} ms`));
        else setTimeout(attempt, 50);
      };
      sock.on('error', retry);
      sock.on('connect', () => sock.write('PING\r\n'));
      sock.on('data', (d) => {
        buf += d.toString();
        if (buf.includes('PONG')) {
          sock.destroy();
          resolve();
        }
      });
    };
    attempt();
  });
}

export class RedisServer {
  private proc: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  /** On `port` (default: a free one). */
  static async start(port?: number): Promise<RedisServer> {
    const r = new RedisServer(port ?? (await freePort()));
    await r.up();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const p = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      {
        stdio: 'ignore',
      },
    );
    this.proc = p;
    const failed = new Promise<never>((_, reject) =>
      p.once('error', (err) => reject(new Error(`cannot run ${REDIS_SERVER} (apt-get install redis-server): ${err.message}`))),
    );
    await Promise.race([pingRedis(this.port, 5000), failed]);
  }

  /** Kills the server at once (SIGKILL: no goodbye to clients) and waits for it to exit. */
  async down(): Promise<void> {
    await killProcess(this.proc);
    this.proc = undefined;
  }
}

export async function killProcess(p: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (p === undefined || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
}

export interface CliProcess {
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly proc: ChildProcess;
  /** Log lines so far (JSON), including those after 'ready'. */
  readonly logs: string[];
}

const bin = fileURLToPath(new URL('../bin/shoal-tracker.js', import.meta.url));

/** How to run the command: this checkout's launcher by default; `npx shoal-tracker` in an installed folder. */
export interface Launcher {
  readonly command: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
}

/** Starts `shoal-tracker` (its launcher) on a free port; resolves once it logs 'ready'. */
export function startCli(args: readonly string[], launcher: Launcher = { command: bin }): Promise<CliProcess> {
  const proc = spawn(launcher.command, [...(launcher.args ?? []), '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: launcher.cwd,
  });
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`shoal-tracker did not start within 20 s: ${err.slice(-500)}`));
    }, 20_000);
    proc.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (logs.length < 10_000) logs.push(line);
        const m = JSON.parse(line) as { msg?: string; wsUrl?: string; httpUrl?: string };
        if (m.msg === 'ready' && m.wsUrl !== undefined && m.httpUrl !== undefined) {
          clearTimeout(timer);
          resolve({ wsUrl: m.wsUrl, httpUrl: m.httpUrl, proc, logs });
        }
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`shoal-tracker exited with ${code}: ${err.slice(-500)}`));
    });
  });
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return (await res.json()) as T;
}
