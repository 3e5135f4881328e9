/** Child processes of the tracker bench: start one (through tsx, with IPC), await its messages, read its CPU time. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LoadParams } from './load-proc.js';

const here = dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

export function child(file: string, args: string[], execArgv: string[] = []): ChildProcess {
  return spawn(process.execPath, [...execArgv, '--import', tsxLoader, join(here, file), ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export function next<T>(p: ChildProcess, type: string, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${type}`)), ms);
    const on = (m: { type: string; error?: string }) => {
      if (m.type === type || m.type === 'error') {
        clearTimeout(timer);
        p.off('message', on);
        if (m.type === 'error') reject(new Error(m.error));
        else resolve(m as T);
      }
    };
    p.on('message', on);
  });
}

/** User + system CPU ticks of a process so far (Linux /proc). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

/** Runs `fn` with a ready load generator (load-proc.ts), killed afterwards whatever happens. */
export async function withLoad<T>(params: LoadParams, fn: (load: ChildProcess) => Promise<T>): Promise<T> {
  const load = child('load-proc.ts', [JSON.stringify(params)]);
  try {
    await next(load, 'ready', 30_000);
    return await fn(load);
  } finally {
    load.kill('SIGKILL');
  }
}

/** Asks a server child to exit, then makes sure it has. */
export async function stopChild(p: ChildProcess): Promise<void> {
  if (p.exitCode === null && p.connected) {
    const exited = new Promise((r) => p.once('exit', r));
    p.send({ cmd: 'exit' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  p.kill('SIGKILL');
}
