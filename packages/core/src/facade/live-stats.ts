import type { TrackerState } from '../adapters/tracker-health.js';
import type { ShoalStats } from '../engine/stats.js';
import type { EngineEvents } from '../engine/events.js';
import type { IntegrityEvent } from '../integrity/verifier.js';
import type { ShoalWarning } from './warnings.js';
import type { IntegrityState } from './integrity-gate.js';

/** Live numbers for a page: bytes by source, peers, offload and playback health. */
export interface ShoalLiveStats extends ShoalStats {
  /** p2pBytes / (p2pBytes + httpBytes), 0..1. */
  offload: number;
  stalls: number;
  stallMs: number;
  playingMs: number;
  /** ms from attach to first frame, once playing. */
  startupMs: number | undefined;
  peerId: string;
  swarm: string | undefined;
  /** Whether peer bytes are checked: 'checking', 'unchecked', 'http-only', 'pending' or 'off' (see IntegrityState). */
  integrity: IntegrityState;
  /** Segments whose peer bytes failed verification (each was refetched over HTTP). */
  segmentsCorrupted: number;
  /** Peers banned for this session: they sent altered bytes or broke the wire protocol. */
  bannedPeers: number;
  /** 'off': no tracker in use (P2P off, no trackerUrls, no WebRTC). 'unreachable': it failed several times in a row (still retrying). */
  tracker: TrackerState | 'off';
}

export type ShoalEvents = EngineEvents & {
  stats: ShoalLiveStats;
  warning: ShoalWarning;
  /** The hash manifest was loaded, is missing, or could not be used. */
  integrity: IntegrityEvent;
};

/** Engine events the facade passes on to the page unchanged. */
export const FORWARDED_ENGINE_EVENTS = [
  'segment-loaded',
  'segment-error',
  'peer-connected',
  'peer-disconnected',
  'peer-misbehaved',
  'segment-corrupted',
  'peer-bytes-dropped',
  'health-changed',
] as const satisfies ReadonlyArray<keyof EngineEvents>;
