import { cpus } from 'node:os';

/** Busy share (0..100) of all the machine's cores between two calls; null on the first call. */
export function createCpuSampler(): { cores: number; sample(): number | null } {
  let previous: { busy: number; total: number } | undefined;
  const read = () => {
    let busy = 0;
    let total = 0;
    for (const cpu of cpus()) {
      const { user, nice, sys, irq, idle } = cpu.times;
      busy += user + nice + sys + irq;
      total += user + nice + sys + irq + idle;
    }
    return { busy, total };
  };
  previous = read();
  return {
    cores: cpus().length,
    sample() {
      const now = read();
      const before = previous;
      previous = now;
      if (!before || now.total <= before.total) return null;
      return (100 * (now.busy - before.busy)) / (now.total - before.total);
    },
  };
}
