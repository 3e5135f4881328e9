import { readFileSync } from 'node:fs';
import { medianRatioInterval } from './src/results/uncertainty.js';
for (const f of process.argv.slice(2)) {
  const r = JSON.parse(readFileSync(f, 'utf8'));
  const st = (run: any) => run.perPeer.map((p: any) => p.startupMs).filter((x: any) => typeof x === 'number');
  const p = r.on?.startupProbes ?? r.startupProbes;
  console.log(f, 'run', r.on ? JSON.stringify(medianRatioInterval(st(r.off), st(r.on))) : '-', 'ratio', r.ratios?.startupMsMedian, 'probes', p ? `${p.ratio} ${JSON.stringify(medianRatioInterval(p.offMs, p.onMs, { paired: true }))}` : '-');
}
