// A real nginx (Debian's nginx-light) in front of a tracker, configured as tracker/README.md
// ("Tracker cluster") says: WebSocket upgrade passed through, X-Forwarded-For appended. It writes
// its own config, pid, logs and temp paths into a temp dir, listens on a free loopback port, and
// is stopped (and the dir removed) by stop(). Every wait is bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, killProcess } from './cluster-env.js';

const NGINX = process.env.NGINX ?? ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? 'nginx';

function config(dir: string, port: number, upstreamPort: number): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream shoal_trackers {
    hash $remote_addr consistent;
    server 127.0.0.1:${upstreamPort};
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://shoal_trackers;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 300s;
    }
  }
}
`;
}

function waitForPort(port: number, ms: number, proc: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (proc.exitCode !== null) return reject(new Error(`nginx exited with ${proc.exitCode} (see ${dir}/error.log)`));
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port} within ${ms} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export class Nginx {
  private constructor(
    readonly port: number,
    private readonly proc: ChildProcess,
    private readonly dir: string,
  ) {}

  /** nginx on a free loopback port proxying to 127.0.0.1:upstreamPort. */
  static async start(upstreamPort: number): Promise<Nginx> {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-nginx-'));
    const port = await freePort();
    writeFileSync(join(dir, 'nginx.conf'), config(dir, port, upstreamPort));
    const proc = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    const failed = new Promise<never>((_, reject) =>
      proc.once('error', (err) => reject(new Error(`cannot run ${NGINX} (apt-get install nginx-light): ${err.message}`))),
    );
    const n = new Nginx(port, proc, dir);
    try {
      await Promise.race([waitForPort(port, 5000, proc, dir), failed]);
    } catch (err) {
      await n.stop();
      throw err;
    }
    return n;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await killProcess(this.proc, 'SIGQUIT');
    await killProcess(this.proc);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
