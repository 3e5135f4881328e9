/**
 * Packs workspaces the way `npm publish` would and installs the tarballs into a fresh folder
 * outside the repository, so a test sees exactly what a website's `npm install` gets.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Bounded: a cold npm cache may fetch from the registry, never for longer than this. */
const NPM_TIMEOUT_MS = 150_000;

/** `npm pack` of the given workspaces (built dist/ included as is) into `dest`; returns tarball paths. */
export async function packWorkspaces(workspaces: readonly string[], dest: string): Promise<string[]> {
  const args = ['pack', '--json', '--pack-destination', dest, ...workspaces.flatMap((w) => ['-w', w])];
  const { stdout } = await run('npm', args, { cwd: REPO_ROOT, timeout: NPM_TIMEOUT_MS, maxBuffer: 16 << 20 });
  const packed = JSON.parse(stdout) as Array<{ filename: string }>;
  return packed.map((p) => path.join(dest, p.filename));
}

/** A new folder under the OS temp dir (outside the workspace: no hoisted node_modules to lean on). */
export function freshFolder(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Installs `specs` (tarball paths or registry names) into `dir` as a plain app would, no install scripts. */
export async function installInto(dir: string, specs: readonly string[]): Promise<void> {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'shoal-packaging-check', private: true, type: 'module' }, null, 2));
  await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: dir,
    timeout: NPM_TIMEOUT_MS,
    maxBuffer: 16 << 20,
  });
}
