import { runSwarm } from './src/run/swarm-run.js';
async function main() {
  const r = await runSwarm({ peers: Number(process.env.N ?? 4), mode: 'live', durationS: Number(process.env.D ?? 40), staggerS: Number(process.env.S ?? 1.25), p2p: true });
  for (const p of r.pages) {
    const m = p.metrics as any;
    console.log(`page ${p.index} http ${m.shoal.httpBytes} p2p ${m.shoal.p2pBytes} rejected ${m.shoal.rejectedBytes}`);
    console.log(' warnings:', JSON.stringify(m.warnings), 'corrupted', JSON.stringify(m.integrity.corrupted), 'misbehaved', JSON.stringify(m.integrity.misbehaved));
    console.log(' rejected segs:', JSON.stringify(m.segments.filter((s: any) => s.why === 'rejected')));
  }
}
main();
