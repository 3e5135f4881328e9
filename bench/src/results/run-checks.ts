/**
 * Checks on the measurement itself, written into result.json: do the SDK's and the origin's byte
 * counts agree, did every viewer play, did every node-peer worker keep reporting. Pure.
 */
import type { Check, NodeWorkerStats, PeerResult } from './types.js';

/** Largest gap allowed between the two offload figures (absolute, 0..1) before the run fails. */
export const OFFLOAD_AGREEMENT = 0.02;
/** A node-peer worker silent longer than this (it reports every second) is hung. */
const WORKER_SILENCE_S = 5;

export interface CheckInput {
  offload: number;
  offloadByOrigin: number | null;
  httpBytes: number;
  p2pBytes: number;
  playerBytes: number;
  originSegmentBytes: number | null;
  perPeer: readonly PeerResult[];
  nodeWorkers?: readonly NodeWorkerStats[];
}

/** Consistency of the measurement itself (not thresholds on Shoal's performance). */
export function runChecks(input: CheckInput): Check[] {
  const checks: Check[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  if (input.offloadByOrigin === null) {
    checks.push({
      name: 'offload-agreement',
      ok: true,
      severity: 'warn',
      detail: 'origin counters not available: offload from the SDK only',
    });
  } else {
    const gap = Math.abs(input.offload - input.offloadByOrigin);
    checks.push({
      name: 'offload-agreement',
      ok: gap <= OFFLOAD_AGREEMENT,
      severity: 'fail',
      detail: `SDK counters ${pct(input.offload)} vs origin ${pct(input.offloadByOrigin)}: ${pct(gap)} apart (limit ${pct(OFFLOAD_AGREEMENT)})`,
    });
  }
  const counted = input.httpBytes + input.p2pBytes;
  const countedGap = Math.abs(counted - input.playerBytes) / Math.max(input.playerBytes, 1);
  checks.push({
    name: 'bytes-counted-once',
    ok: countedGap <= OFFLOAD_AGREEMENT,
    severity: 'warn',
    detail: `SDK http+p2p ${counted} B vs player ${input.playerBytes} B (${pct(countedGap)} apart)`,
  });
  if (input.originSegmentBytes !== null) {
    const gap = Math.abs(input.originSegmentBytes - input.httpBytes) / Math.max(input.originSegmentBytes, 1);
    checks.push({
      name: 'origin-matches-sdk-http',
      ok: gap <= OFFLOAD_AGREEMENT,
      severity: 'warn',
      detail: `origin served ${input.originSegmentBytes} segment B, SDK counted ${input.httpBytes} B over HTTP (${pct(gap)} apart)`,
    });
  }
  const silent = input.perPeer.filter((p) => p.startupMs === null);
  checks.push({
    name: 'every-viewer-played',
    ok: silent.length === 0,
    severity: 'warn',
    detail: silent.length === 0 ? 'all viewers showed a first frame' : `never played: ${silent.map((p) => `#${p.index}`).join(', ')}`,
  });
  const uncaught = (input.nodeWorkers ?? []).reduce((n, w) => n + w.uncaughtErrors, 0);
  const hung = (input.nodeWorkers ?? []).flatMap((w, i) =>
    w.maxSilenceS > WORKER_SILENCE_S ? [`worker ${i} (${w.peers} peers) silent for ${w.maxSilenceS} s`] : [],
  );
  if (input.nodeWorkers?.length) {
    checks.push({
      name: 'node-workers-responsive',
      ok: hung.length === 0,
      severity: 'fail',
      detail:
        hung.length === 0
          ? 'every node-peer worker reported every second'
          : `${hung.join('; ')}: their peers stopped being measured (a hung @roamhq/wrtc process; try more --node-workers)`,
    });
    checks.push({
      name: 'node-workers-clean',
      ok: uncaught === 0,
      severity: 'warn',
      detail:
        uncaught === 0 ? 'no uncaught error in the node-peer workers' : `${uncaught} uncaught errors in the node-peer workers (see stderr)`,
    });
  }
  return checks;
}
