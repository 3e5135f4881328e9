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
  /** The largest segment the origin served (bytes): what one viewer may have in flight at the freeze. */
  largestSegmentBytes: number;
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
    // The origin counts a segment when it hands it to the socket, the SDK when the page has read
    // it: at the freeze each viewer may have one segment in flight, so the origin may be ahead
    // (its offload lower) by that much, never behind. A real double count or a lost count still fails.
    const inFlight = input.playerBytes > 0 ? (input.perPeer.length * input.largestSegmentBytes) / input.playerBytes : 0;
    const gap = input.offload - input.offloadByOrigin;
    const limit = gap > 0 ? OFFLOAD_AGREEMENT + inFlight : OFFLOAD_AGREEMENT;
    checks.push({
      name: 'offload-agreement',
      ok: Math.abs(gap) <= limit,
      severity: 'fail',
      detail: `SDK counters ${pct(input.offload)} vs origin ${pct(input.offloadByOrigin)}: ${pct(Math.abs(gap))} apart (limit ${pct(limit)}${gap > 0 ? ', one segment in flight per viewer allowed' : ''})`,
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
    const ahead = input.originSegmentBytes - input.httpBytes;
    const allowed = ahead > 0 ? input.perPeer.length * input.largestSegmentBytes : 0;
    const gap = Math.max(0, Math.abs(ahead) - allowed) / Math.max(input.originSegmentBytes, 1);
    checks.push({
      name: 'origin-matches-sdk-http',
      ok: gap <= OFFLOAD_AGREEMENT,
      severity: 'warn',
      detail: `origin served ${input.originSegmentBytes} segment B, SDK counted ${input.httpBytes} B over HTTP (${pct(Math.abs(ahead) / Math.max(input.originSegmentBytes, 1))} apart${allowed > 0 ? `, ${allowed} B in flight allowed` : ''})`,
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
