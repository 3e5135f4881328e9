/**
 * Issue #13: the tracker ships as compiled JavaScript. `npm pack` of @shoal/tracker, installed in
 * an empty folder, starts with `npx shoal-tracker` (no tsx anywhere), with the shipped example
 * config, and serves /health. Needs `npm run build` first (npm test does it).
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshFolder, installInto, packWorkspaces, REPO_ROOT } from '@shoal/test-kit';
import { killProcess, startCli, type CliProcess } from './cluster-env.js';

const run = promisify(execFile);

describe('@shoal/tracker from its tarball', () => {
  let tarballDir: string;
  let dir: string;
  let running: CliProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(path.join(REPO_ROOT, 'tracker/dist/cli.js'))) throw new Error('tracker/dist is missing: run `npm run build` first');
    tarballDir = freshFolder('shoal-tracker-tgz-');
    const [tarball] = await packWorkspaces(['@shoal/tracker'], tarballDir);
    dir = freshFolder('shoal-tracker-app-');
    await installInto(dir, [tarball!]);
  }, 180_000);

  afterAll(async () => {
    await killProcess(running?.proc, 'SIGTERM');
    for (const folder of [tarballDir, dir]) if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('installs without tsx and answers --help', async () => {
    expect(existsSync(path.join(dir, 'node_modules/tsx'))).toBe(false);
    const { stdout } = await run('npx', ['shoal-tracker', '--help'], { cwd: dir, timeout: 30_000 });
    expect(stdout).toContain('Usage: shoal-tracker [options]');
  }, 40_000);

  it('starts with the shipped example config and serves /health', async () => {
    const config = path.join(dir, 'node_modules/@shoal/tracker/tracker.example.json');
    // The file npx runs, started directly: npx does not pass SIGTERM on, and the test must stop it.
    running = await startCli(['--config', config, '--host', '127.0.0.1'], {
      command: path.join(dir, 'node_modules/.bin/shoal-tracker'),
      cwd: dir,
    });
    const health = await fetch(`${running.httpUrl}/health`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
  }, 40_000);
});
