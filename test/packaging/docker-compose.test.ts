/**
 * docker-compose.yml (tracker nodes + Redis + nginx) is checked without running it: where Docker
 * Compose exists, `docker compose config` validates it; everywhere, it is parsed and cross-checked
 * against the tracker's option table, its Dockerfile and the nginx config it mounts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envName, FIELD_NAMES, FIELDS } from '@shoal/tracker';
import { REPO_ROOT } from '@shoal/test-kit';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: string[] | Record<string, unknown>;
}

const composeFile = path.join(REPO_ROOT, 'docker-compose.yml');
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const trackers = Object.entries(services).filter(([, s]) => s.build?.dockerfile === 'tracker/Dockerfile');
const knownEnv = new Set(FIELD_NAMES.map(envName));
const dockerfile = readFileSync(path.join(REPO_ROOT, 'tracker/Dockerfile'), 'utf8');
const trackerPort = Number(/SHOAL_TRACKER_PORT=(\d+)/.exec(dockerfile)?.[1]);
const nginxMount = services.nginx?.volumes?.[0]?.split(':') ?? [];
// Directives only: comments may name what not to do.
const nginxConf = readFileSync(path.join(REPO_ROOT, nginxMount[0] ?? 'missing'), 'utf8').replace(/#.*$/gm, '');

describe('docker-compose.yml', () => {
  it('is valid Compose (docker compose config where installed) running Redis, nginx and two or more tracker nodes', () => {
    if (spawnSync('docker', ['compose', 'version'], { timeout: 10_000 }).status === 0) {
      execFileSync('docker', ['compose', '-f', composeFile, 'config', '--quiet'], { cwd: REPO_ROOT, timeout: 30_000 });
    }
    expect(services.redis?.image).toMatch(/^redis:/);
    expect(services.nginx?.image).toMatch(/^nginx:/);
    expect(trackers.length).toBeGreaterThanOrEqual(2);
    expect(existsSync(path.join(REPO_ROOT, 'tracker/Dockerfile'))).toBe(true);
    expect(trackerPort).toBe(8000);
  });

  it('configures each tracker only through real SHOAL_TRACKER_* options, on Redis, trusting the proxy', () => {
    const nodeIds = new Set<string>();
    for (const [name, service] of trackers) {
      const env = service.environment ?? {};
      for (const key of Object.keys(env)) expect(knownEnv.has(key), `${name}: ${key} is not a tracker option`).toBe(true);
      expect(env[envName('redis')], name).toBe('redis://redis:6379');
      expect(env[envName('trustProxy')], name).toBe('true');
      expect(FIELDS.trustProxy.kind).toBe('bool');
      nodeIds.add(env[envName('nodeId')] ?? '');
      // Trusting X-Forwarded-For is safe only if nothing but the proxy can reach the node.
      expect(service.ports, `${name} must not publish a port`).toBeUndefined();
      expect(service.expose).toContain(String(trackerPort));
    }
    expect(nodeIds.size, 'every node has its own nodeId').toBe(trackers.length);
  });

  it('has nginx route to every tracker node, pass WebSocket upgrades and set X-Forwarded-For as --trust-proxy expects', () => {
    expect(nginxMount[1]).toBe('/etc/nginx/conf.d/default.conf');
    const upstream = [...nginxConf.matchAll(/^\s*server\s+([\w.-]+):(\d+);/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstream.sort()).toEqual(trackers.map(([name]) => `${name}:${trackerPort}`).sort());
    expect(nginxConf).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginxConf).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    // The tracker takes the first entry: it must be the address nginx saw, not one the client sent.
    expect(nginxConf).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(nginxConf).not.toMatch(/\$proxy_add_x_forwarded_for/);
    const readTimeoutS = Number(/proxy_read_timeout (\d+)s;/.exec(nginxConf)?.[1]);
    expect(readTimeoutS * 1000).toBeGreaterThan(2 * FIELDS.idleTimeoutMs.def);
    expect(services.nginx?.ports).toEqual(['8080:80']);
  });
});
