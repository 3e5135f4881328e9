import type { SegmentId } from '../protocol/index.js';
import type { HealthChange } from './device-health.js';
import type { HttpReason, Source } from './fetch-contract.js';
import type { Plan, PolicyInput } from './policy.js';
import type { DisconnectCode, DropCode, MisbehaviorCode } from './reasons.js';

/** What the engine tells its user. Every "why" is a typed code plus a `detail` for logs. */
/** What a segment's plan rested on when it was made (policy.ts): the page can say why it went where it went. */
export type PlanBasis = PolicyInput;

export type EngineEvents = {
  /**
   * plan: what the engine decided when the request came, and basis: on what; ms: from that
   * decision to the last byte, of which waitMs passed before bytes began to flow (waiting for an
   * announcement, or for the peer's answer); heldMs: time the load was held back before that
   * (VOD prefetch pacing, not in ms).
   */
  'segment-loaded': {
    id: SegmentId;
    source: Source;
    httpBytes: number;
    p2pBytes: number;
    ms: number;
    plan: Plan['kind'];
    httpReason?: HttpReason;
    basis: PlanBasis;
    waitMs: number;
    heldMs: number;
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
