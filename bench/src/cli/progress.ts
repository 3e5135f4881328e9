/** The live view of a run: a progress bar with offload on a terminal, a line every 10 s otherwise. */
import cliProgress from 'cli-progress';
import type { TickTotals } from '../results/aggregate.js';

export interface Progress {
  update(totals: TickTotals): void;
  stop(): void;
}

const LOG_EVERY_S = 10;

export function createProgress(
  label: string,
  durationS: number,
  log: (line: string) => void,
  tty = Boolean(process.stderr.isTTY),
): Progress {
  const fields = (t: TickTotals) => {
    const total = t.httpBytes + t.p2pBytes;
    return {
      viewers: String(t.viewers).padStart(3),
      offload: total > 0 ? `${((100 * t.p2pBytes) / total).toFixed(1).padStart(5)}%` : '    -',
      http: mb(t.httpBytes),
      p2p: mb(t.p2pBytes),
      stalls: String(t.stalls),
      cpu: t.cpuPercent === null ? '  -' : `${Math.round(t.cpuPercent).toString().padStart(3)}%`,
    };
  };
  if (!tty) {
    let lastLogged = -LOG_EVERY_S;
    return {
      update(t) {
        if (t.t - lastLogged < LOG_EVERY_S) return;
        lastLogged = t.t;
        const f = fields(t);
        log(
          `${label} ${Math.round(t.t)}/${durationS}s viewers ${f.viewers.trim()} offload ${f.offload.trim()} http ${f.http} p2p ${f.p2p} stalls ${f.stalls} cpu ${f.cpu.trim()}`,
        );
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total}s | viewers {viewers} | offload {offload} | http {http} | p2p {p2p} | stalls {stalls} | cpu {cpu}`,
      barsize: 24,
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(durationS, 0, fields({ t: 0, viewers: 0, httpBytes: 0, p2pBytes: 0, stalls: 0, cpuPercent: null }));
  return {
    update: (t) => bar.update(Math.min(durationS, Math.round(t.t)), fields(t)),
    stop: () => bar.stop(),
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
