/**
 * The engine's options: one row each, from which EngineConfig, DEFAULT_ENGINE_CONFIG, the
 * validation and the README tables derive (`npm run docs:options`). The comment above a row is
 * its doc.
 */
import { bool, int, num, type OptionsOf, resolveOptionTable } from '../options/index.js';

const KiB = 1024;
const MiB = 1024 * KiB;

export const ENGINE_OPTIONS = {
  /** Most simultaneous peer connections. */
  maxPeers: int(12, 0, 100),
  /** Frames, plus the segment entries and ranges in them, one peer may send per second (2 s of it at once); a peer over it is dropped and banned. */
  peerReceiveBudget: int(20_000, 1000, 1_000_000),
  /** Memory for segments kept to serve others; evicts behind the playhead first. Nothing is kept when P2P is off. */
  storeBytes: int(64 * MiB, 1 * MiB, 2 ** 31, 'bytes'),
  /** Live: media seconds behind the playhead kept for viewers further behind; older segments are dropped at once. */
  liveStoreBehindS: int(60, 0, 86_400, 's'),
  /** Serve segments to other viewers. */
  uploads: bool(true),
  /** Upload rate cap. */
  uploadBytesPerSecond: num(Number.POSITIVE_INFINITY, 1 * KiB, Number.POSITIVE_INFINITY, 'bytes/s'),
  /**
   * Upload rate cap for any one peer; peers being served also split `uploadBytesPerSecond` evenly.
   * One peer gets each segment at most twice; a peer that keeps asking for more is dropped.
   */
  peerUploadBytesPerSecond: num(4 * MiB, 1 * KiB, Number.POSITIVE_INFINITY, 'bytes/s'),
  /** Requests one peer may have us serving at once; more are refused. */
  maxConcurrentUploads: int(8, 1, 64),
  /** Reserve kept, beyond the estimated HTTP time, before a segment is needed. */
  httpSafetyMs: int(1500, 0, 60_000, 'ms'),
  /** Time given to peers when the buffer is nearly empty (startup, seek). */
  urgentP2PTimeoutMs: int(1000, 0, 60_000, 'ms'),
  /** Longest wait for another viewer to announce a new live segment. */
  maxWaitForPeersMs: int(6000, 0, 120_000, 'ms'),
  /**
   * Shoal joins the swarm at the first frame, so WebRTC setup never delays startup (nothing of P2P
   * runs before it); without a frame (autoplay blocked, never played), once the paused player holds
   * media and has loaded nothing for 1 s. From the first buffered fragment on, a segment that is not
   * urgent may wait this long for peers to connect, within its deadline (unless the tracker says
   * nobody else is there): the fragment hls.js asks for next, often just before the first frame,
   * can come from the peers the join brings.
   */
  peerWarmupMs: int(3000, 0, 60_000, 'ms'),
  /** Piece size when one segment is pulled from several peers at once. */
  pieceBytes: int(128 * KiB, 16 * KiB, 16 * MiB, 'bytes'),
  /** Most peers one segment is pulled from at once. */
  maxPeersPerSegment: int(3, 1, 16),
  /**
   * A peer silent this long mid-transfer is given up on; the rest comes from another peer or HTTP.
   * A peer whose pace cannot finish before the deadline is cut over as soon as that shows (after 0.5 s).
   */
  peerStallMs: int(1500, 100, 60_000, 'ms'),
  /** Failed or refused transfers after which a peer is disconnected (a new peer's first failure other than a slow pace bans it). */
  maxPeerFailures: int(3, 1, 1000),
  /** Segments remembered per peer as available (kept as ranges; the oldest claims are forgotten first). */
  maxAvailability: int(20_000, 100, 1_000_000),
  /** Viewers that fetch each new live segment from the origin at once. */
  liveEdgeFetchers: int(1, 1, 10),
  /**
   * VOD: media seconds ahead of the playhead that peers deliver at once; segments further ahead come
   * from peers at most twice as fast as they play (hls.js still fills its buffer, just not in a burst).
   */
  prefetchWindowS: num(10, 0, 3600, 's'),
  /** Watch the device's health and back P2P off when playback may suffer (see [Slow devices](#slow-devices)). */
  adaptToDevice: bool(true),
};

/** Engine settings, every field set (see ENGINE_OPTIONS for each one's doc, default and bounds). */
export type EngineConfig = OptionsOf<typeof ENGINE_OPTIONS>;

export const DEFAULT_ENGINE_CONFIG: Readonly<EngineConfig> = Object.freeze(resolveEngineConfig(undefined));

/** Merges user settings over the defaults; a wrong field throws naming the field and the form it takes. */
export function resolveEngineConfig(input: unknown, prefix = 'config'): EngineConfig {
  // Fields of other layers (the adapters' options share the object) are validated there.
  return resolveOptionTable(ENGINE_OPTIONS, input, { prefix, unknownFields: 'ignore' });
}
