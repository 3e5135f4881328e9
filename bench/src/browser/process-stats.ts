/**
 * Memory and CPU of Chromium's renderer processes, read from Linux /proc: what one page really
 * costs (its JS heap leaves out the segment store's ArrayBuffers, media buffers and decoders).
 * Elsewhere than Linux every function returns undefined or [] and the bench falls back to the
 * JS heap and main-thread task time.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux everywhere). */
const TICKS_PER_S = 100;

interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
}

function readStat(pid: number): { ppid: number; cpuS: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return { ppid: Number(rest[1]), cpuS: (utime + stime) / TICKS_PER_S };
  } catch {
    return undefined;
  }
}

function processes(): ProcEntry[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    const stat = readStat(Number(name));
    return stat ? [{ pid: Number(name), ppid: stat.ppid }] : [];
  });
}

/** A Chromium browser process and every process under it (renderers, network service, GPU...). */
export function processTree(browserPid: number | undefined): number[] {
  if (browserPid === undefined) return [];
  const all = processes();
  const descendants = new Set([browserPid]);
  // Bounded: a process tree is never deeper than the number of processes.
  for (let round = 0, grew = true; grew && round < all.length; round++) {
    grew = false;
    for (const p of all) {
      if (!descendants.has(p.pid) && descendants.has(p.ppid)) {
        descendants.add(p.pid);
        grew = true;
      }
    }
  }
  return [...descendants];
}

/** CPU seconds one process has used so far. */
export function cpuSeconds(pid: number): number | undefined {
  return readStat(pid)?.cpuS;
}

/** Renderer processes of web pages descending from a Chromium browser process (not its own UI's). */
export function rendererPids(browserPid: number | undefined): number[] {
  return processTree(browserPid).filter((pid) => {
    try {
      // Chromium rewrites its command line into one space-separated string.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      return / --type=renderer /.test(` ${cmdline} `) && !/ --(top-chrome-webui|extension-process) /.test(` ${cmdline} `);
    } catch {
      return false;
    }
  });
}

/** Proportional set size (shared pages split among their users) and CPU seconds of one process. */
export function processUsage(pid: number): { pssMB: number; cpuS: number } | undefined {
  const stat = readStat(pid);
  if (!stat) return undefined;
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = /^Pss:\s+(\d+) kB/m.exec(rollup);
    if (!kb) return undefined;
    return { pssMB: Number(kb[1]) / 1024, cpuS: stat.cpuS };
  } catch {
    return undefined;
  }
}
