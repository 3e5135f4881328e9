/** The few lines printed at the end of a run. Pure. */
import { COMPARED } from '../results/compare.js';
import type { BenchResult, CompareResult } from '../results/types.js';
import { describeCauses } from '../results/stalls.js';
import type { RatioInterval } from '../results/uncertainty.js';

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const mb = (x: number | null) => (x === null ? '-' : `${(x / 1e6).toFixed(2)} MB`);
const n = (x: number | null, digits = 0) => (x === null ? '-' : x.toFixed(digits));
const interval = (i: RatioInterval | null) =>
  i === null ? '' : ` (${Math.round(i.level * 100)}% CI ${i.low.toFixed(2)}-${i.high.toFixed(2)})`;

export function runLines(r: BenchResult): string[] {
  const failed = r.checks.filter((c) => !c.ok);
  return [
    `${r.label}: ${r.mode}, ${r.peers} viewers (${r.params.pages} pages, ${r.params.nodePeers} node peers), ${r.elapsedS} s` +
      (r.params.cpuThrottle && r.params.cpuThrottle > 1 ? `, page CPU ${r.params.cpuThrottle}x slower` : '') +
      (r.params.https ? ', HTTPS origin' : ''),
    `  offload ${pct(r.offload)} (by origin ${pct(r.offloadByOrigin)}, limit ${pct(r.offloadLimit)}); origin segments ${mb(r.originSegmentBytes)}, ${n(r.originFetchesPerSegment, 2)} fetches/segment`,
    `  stalls ${r.stalls} (${r.stalledS.toFixed(1)} s stalled; ${n(r.stallsPerViewerMinute, 3)} per viewer-minute over ${r.viewerMinutes.toFixed(1)} viewer-minutes)` +
      (r.stalls > 0 ? `; the player saw: ${describeCauses(r.stallCauses)}` : ''),
    `  startup median ${n(r.startupMsMedian)} ms, max ${n(r.startupMsMax)} ms; never started ${r.neverStarted}` +
      (r.liveLatencyS === null ? '' : `; live latency ${r.liveLatencyS.toFixed(1)} s`),
    `  CPU avg ${n(r.cpu.avgPercent)}% peak ${n(r.cpu.peakPercent)}% of ${r.cpu.cores} cores; memory/viewer ${n(r.memoryPerPageMB, 1)} MB` +
      builtLine(r),
    ...(r.memoryTrend
      ? [
          `  page memory ${n(r.memoryTrend.startMB, 1)} -> ${n(r.memoryTrend.endMB, 1)} MB over ${n(r.memoryTrend.fromS)}-${n(r.memoryTrend.toS)} s (${n(r.memoryTrend.slopeMBPerMin, 2)} MB/min; JS heap ${n(r.memoryTrend.heapStartMB, 1)} -> ${n(r.memoryTrend.heapEndMB, 1)} MB, ${n(r.memoryTrend.heapSlopeMBPerMin, 2)} MB/min; Shoal store max ${n(r.memoryTrend.storeMaxMB, 1)} MB, end ${n(r.memoryTrend.storeEndMB, 1)} MB)`,
        ]
      : []),
    ...(r.startupProbes
      ? [
          `  startup probes (${r.startupProbes.pairs} pairs joining the running swarm): HTTP only ${n(r.startupProbes.offMedianMs)} ms, P2P ${n(r.startupProbes.onMedianMs)} ms median, ratio ${n(r.startupProbes.ratio, 3)}${interval(r.startupProbes.ratioInterval)}${r.startupProbes.failed ? `; ${r.startupProbes.failed} never played` : ''}`,
        ]
      : []),
    ...failed.map((c) => `  ${c.severity === 'fail' ? 'FAILED' : 'warning'} ${c.name}: ${c.detail}`),
  ];
}

/** Peer connections the pages built, each one setup work for the device whether it was used or not. */
function builtLine(r: BenchResult): string {
  const built = r.perPeer.flatMap((p) => (p.peerConnectionsBuilt === null ? [] : [p.peerConnectionsBuilt]));
  if (built.length === 0 || built.every((b) => b === 0)) return '';
  const sum = built.reduce((a, b) => a + b, 0);
  const total = (pick: (p: BenchResult['perPeer'][number]) => number | null) => r.perPeer.reduce((acc, p) => acc + (pick(p) ?? 0), 0);
  const closed = new Map<string, number>();
  for (const p of r.perPeer)
    for (const [code, count] of Object.entries(p.peerDisconnects ?? {})) closed.set(code, (closed.get(code) ?? 0) + count);
  const closedText = [...closed].map(([code, count]) => `${code} ${count}`).join(', ');
  return (
    `; peer connections built ${sum} (${(sum / built.length).toFixed(1)} per page, max ${Math.max(...built)}; ` +
    `${total((p) => p.peerConnectionsOffered)} offers, ${total((p) => p.peerConnectionsConnected)} ever connected` +
    `${closedText ? `; closed: ${closedText}` : ''})`
  );
}

export function summaryLines(result: BenchResult | CompareResult): string[] {
  if (result.kind === 'run') return ['', ...runLines(result)];
  const lines = [
    '',
    ...runLines(result.off),
    ...runLines(result.on),
    '',
    `${'P2P off vs on'.padEnd(28)} ${'off'.padStart(12)} ${'on'.padStart(12)} ${'on/off'.padStart(8)}`,
  ];
  for (const { key, label } of COMPARED) {
    const fmt = (v: unknown) =>
      typeof v !== 'number' ? '-' : String(key).endsWith('Bytes') ? mb(v) : key === 'offload' ? pct(v) : n(v, 2);
    const ratio = result.ratios[key];
    lines.push(
      `${label.padEnd(28)} ${fmt(result.off[key]).padStart(12)} ${fmt(result.on[key]).padStart(12)} ${(ratio === null || ratio === undefined ? '-' : ratio.toFixed(3)).padStart(8)}`,
    );
  }
  if (result.startupRatioInterval)
    lines.push(`startup median on/off${interval(result.startupRatioInterval)}: two runs of ${result.on.perPeer.length} viewers each`);
  lines.push(`origin bytes saved: ${mb(result.savedOriginBytes)} (${pct(result.savedOriginShare)})`);
  const worse = result.worseThanTwin ?? [];
  lines.push(
    worse.length === 0
      ? 'no viewer stalled more with P2P than its P2P-off twin'
      : `stalled more with P2P than its P2P-off twin: ${worse.map((w) => `#${w.index} ${w.on.stalls} vs ${w.off.stalls} (${w.on.stallMs} vs ${w.off.stallMs} ms)`).join(', ')}`,
  );
  return lines;
}
