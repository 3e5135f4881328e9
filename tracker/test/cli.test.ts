// The shoal-tracker command: --help, config errors, graceful SIGTERM with state kept, and TLS.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binId, hexOf, onCleanup, sleep, TestClient, tracker } from './helpers.js';
import { startCli, type CliProcess } from './cluster-env.js';

const bin = fileURLToPath(new URL('../bin/shoal-tracker.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Starts the CLI and resolves with its URLs once it logs "ready". */
async function start(args: string[]): Promise<CliProcess> {
  const p = startCli(args);
  const started = await p;
  onCleanup(() => started.proc.kill('SIGKILL'));
  return started;
}

const report = (swarm: string, peerId: string, http: number, p2p: number, final = false) =>
  JSON.stringify({
    v: 1,
    swarm: hexOf(swarm),
    peerId: hexOf(peerId),
    httpBytes: http,
    p2pBytes: p2p,
    uploadBytes: 0,
    rejectedBytes: 0,
    peers: 1,
    stalls: 0,
    stallMs: 0,
    playingMs: 1000,
    final,
  });

describe('shoal-tracker CLI', () => {
  it('--help lists the options; invalid config names the field', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--max-connections-per-ip');
    expect(help.stdout).toContain('SHOAL_TRACKER_MESSAGES_PER_SECOND');
    const bad = await run(['--max-peers-per-swarm', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid config: maxPeersPerSwarm: must be between 1 and 1000000 (got 0 from --max-peers-per-swarm)');
    const env = await run([], { SHOAL_TRACKER_LOG_LEVEL: 'chatty' });
    expect(env.stderr).toContain('logLevel: must be one of');
    const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
    writeFileSync(join(dir, 'tracker.json'), JSON.stringify({ intervalSecs: 10 }));
    const file = await run(['--config', join(dir, 'tracker.json')]);
    expect(file.stderr).toContain('Invalid config: intervalSecs: unknown field in');
  }, 30_000);

  it('a port in use or an unreadable config is one line that says what to do, no stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    onCleanup(() => busy.close());
    const port = String((busy.address() as AddressInfo).port);
    const taken = await run(['--port', port, '--host', '127.0.0.1']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(
      `shoal-tracker: port ${port} on 127.0.0.1 is already in use (another tracker?). Stop that process or choose another port with --port or SHOAL_TRACKER_PORT.\n`,
    );
    const missing = await run(['--config', join(tmpdir(), 'shoal-no-such-dir', 'tracker.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^shoal-tracker: Invalid config: \(config file\): cannot read .*tracker\.json: ENOENT/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('stops gracefully on SIGTERM: peers are told, stats are kept across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
    const stateFile = join(dir, 'state.json');
    const first = await start(['--state-file', stateFile, '--log-level', 'info']);
    const swarm = binId();
    const peerId = binId();
    const client = await TestClient.open(first.wsUrl);
    await client.join(swarm, peerId);
    const post = (url: string, body: string) => fetch(`${url}/stats`, { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } });
    expect((await post(first.httpUrl, report(swarm, peerId, 100, 300))).status).toBe(204);

    const exited = new Promise<number | null>((r) => first.proc.on('exit', (code) => r(code)));
    first.proc.kill('SIGTERM');
    expect(await client.closed).toEqual({ code: 1001, reason: 'tracker shutting down' });
    expect(await exited).toBe(0);
    expect(first.logs.some((l) => l.includes('stats state saved'))).toBe(true);
    expect(existsSync(stateFile)).toBe(true);

    const second = await start(['--state-file', stateFile]);
    const again = await TestClient.open(second.wsUrl);
    await again.join(swarm, peerId);
    // The viewer's next cumulative report counts only what is new since the restart.
    await sleep(1000);
    expect((await post(second.httpUrl, report(swarm, peerId, 150, 300))).status).toBe(204);
    const api = (await (await fetch(`${second.httpUrl}/api/stats`)).json()) as { overall: { httpBytes: number; p2pBytes: number } };
    expect(api.overall).toMatchObject({ httpBytes: 150, p2pBytes: 300 });
    second.proc.kill('SIGTERM');
    await new Promise((r) => second.proc.on('exit', r));
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({
      version: 1,
      store: { overall: { httpBytes: 150, p2pBytes: 300 } },
    });
  }, 40_000);
});

describe('TLS', () => {
  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!hasOpenssl)(
    'serves wss:// and https:// with a certificate',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'shoal-tls-'));
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      const gen = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'],
        { stdio: 'ignore' },
      );
      expect(gen.status).toBe(0);
      const t = await tracker({ tlsCert: cert, tlsKey: key });
      expect(t.wsUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
      const c = await TestClient.open(t.wsUrl, { rejectUnauthorized: false });
      expect(await c.join(binId(), binId())).toMatchObject({ incomplete: 1 });
      const body = await new Promise<string>((resolve, reject) => {
        import('node:https').then(({ get }) => {
          get(`${t.httpUrl}/health`, { rejectUnauthorized: false }, (res) => {
            let s = '';
            res.on('data', (d: Buffer) => (s += d.toString()));
            res.on('end', () => resolve(s));
          }).on('error', reject);
        }, reject);
      });
      expect(JSON.parse(body)).toMatchObject({ status: 'ok', connections: 1 });
    },
    20_000,
  );
});
