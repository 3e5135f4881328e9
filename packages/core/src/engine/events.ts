import type { SegmentId } from '../protocol/index.js';
import type { HealthChange } from './device-health.js';
import type { HttpReason, Source } from './fetch-contract.js';
import type { Plan } from './policy.js';
import type { DisconnectCode, DropCode, MisbehaviorCode } from './reasons.js';

/** What the engine tells its user. Every "why" is a typed code plus a `detail` for logs. */
export type EngineEvents = {
  /** plan: what the engine decided when the request came (why a segment went to HTTP, for diagnostics). */
  'segment-loaded': {
    id: SegmentId;
    source: Source;
    httpBytes: number;
    p2pBytes: number;
    ms: number;
    plan: Plan['kind'];
    httpReason?: HttpReason;
  };
  'segment-error': { id: SegmentId; error: Error };
  'peer-connected': { peerId: string; peers: number };
  'peer-disconnected': { peerId: string; code: DisconnectCode; detail: string; peers: number };
  'peer-misbehaved': { peerId: string; code: MisbehaviorCode; detail: string };
  /** Bytes from peers failed verification and were thrown away; the senders are banned. */
  'segment-corrupted': { id: SegmentId; peerIds: readonly string[]; bytes: number };
  /** Bytes from peers could not be checked or completed and were thrown away, nobody blamed; the segment came over HTTP. */
  'peer-bytes-dropped': { id: SegmentId; bytes: number; code: DropCode; detail: string };
  /** The device's health level changed, and with it what P2P may do (README "Slow devices"). */
  'health-changed': HealthChange;
};
