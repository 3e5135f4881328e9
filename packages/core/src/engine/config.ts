/** Engine settings. Every field has a default; see README "Configuration" for guidance. */
export interface EngineConfig {
  /** Most simultaneous peer connections. */
  maxPeers: number;
  /** Byte budget of the in-memory segment store (what we can serve to others). */
  storeBytes: number;
  /** Live: seconds of media behind the playhead kept for viewers further behind; older segments are dropped. */
  liveStoreBehindS: number;
  /** Serve segments to other viewers at all. */
  uploads: boolean;
  /** Upload cap in bytes per second (Infinity = uncapped). */
  uploadBytesPerSecond: number;
  /** Upload cap for any one peer; peers being served also split uploadBytesPerSecond evenly. */
  peerUploadBytesPerSecond: number;
  /** Reserve kept before a segment is needed, beyond the estimated HTTP time, when waiting on peers. */
  httpSafetyMs: number;
  /** Time given to peers when the buffer is nearly empty (startup, after a seek). */
  urgentP2PTimeoutMs: number;
  /** Longest wait for another viewer to announce a new live segment. */
  maxWaitForPeersMs: number;
  /** After joining a swarm, segments that are not urgent wait this long at most for peers to connect. */
  peerWarmupMs: number;
  /** A peer that sends nothing for this long is given up on for the current segment. */
  peerStallMs: number;
  /** Piece size when one segment is pulled from several peers at once. */
  pieceBytes: number;
  /** Most peers one segment is pulled from at once. */
  maxPeersPerSegment: number;
  /** How many viewers fetch each new live segment from the origin at once. */
  liveEdgeFetchers: number;
  /** Failures after which a peer is disconnected. */
  maxPeerFailures: number;
  /** Requests one peer may have us serving at once. */
  maxConcurrentUploads: number;
  /** Segments remembered per peer as available. */
  maxAvailability: number;
  /** VOD: media seconds ahead of the playhead peers deliver at once; beyond, at twice playback speed. */
  prefetchWindowS: number;
  /** Watch the device's health and back P2P off in steps when playback may suffer (README "Slow devices"). */
  adaptToDevice: boolean;
  /** Frames plus the segment entries in them one peer may send per second (2 s of it at once); beyond, it is banned. */
  peerReceiveBudget: number;
}

export const DEFAULT_ENGINE_CONFIG: Readonly<EngineConfig> = Object.freeze({
  maxPeers: 12,
  storeBytes: 64 * 1024 * 1024,
  liveStoreBehindS: 60,
  uploads: true,
  uploadBytesPerSecond: Number.POSITIVE_INFINITY,
  peerUploadBytesPerSecond: 4 * 1024 * 1024,
  httpSafetyMs: 1500,
  urgentP2PTimeoutMs: 1000,
  maxWaitForPeersMs: 6000,
  peerWarmupMs: 3000,
  peerStallMs: 1500,
  pieceBytes: 128 * 1024,
  maxPeersPerSegment: 3,
  liveEdgeFetchers: 1,
  maxPeerFailures: 3,
  maxConcurrentUploads: 8,
  maxAvailability: 20_000,
  prefetchWindowS: 10,
  adaptToDevice: true,
  peerReceiveBudget: 20_000,
});

export class ShoalConfigError extends Error {
  override readonly name = 'ShoalConfigError';
  /** The option at fault, as a path: 'options.trackerUrls[0]', 'options.maxPeers', 'options' for the whole object. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.field = field;
  }
}

type Rule = { kind: 'int' | 'number'; min: number; max: number } | { kind: 'boolean' };

const RULES: { [K in keyof EngineConfig]: Rule } = {
  maxPeers: { kind: 'int', min: 0, max: 100 },
  storeBytes: { kind: 'int', min: 1024 * 1024, max: 2 ** 31 },
  liveStoreBehindS: { kind: 'int', min: 0, max: 86_400 },
  uploads: { kind: 'boolean' },
  uploadBytesPerSecond: { kind: 'number', min: 1024, max: Number.POSITIVE_INFINITY },
  peerUploadBytesPerSecond: { kind: 'number', min: 1024, max: Number.POSITIVE_INFINITY },
  httpSafetyMs: { kind: 'int', min: 0, max: 60_000 },
  urgentP2PTimeoutMs: { kind: 'int', min: 0, max: 60_000 },
  maxWaitForPeersMs: { kind: 'int', min: 0, max: 120_000 },
  peerWarmupMs: { kind: 'int', min: 0, max: 60_000 },
  peerStallMs: { kind: 'int', min: 100, max: 60_000 },
  pieceBytes: { kind: 'int', min: 16 * 1024, max: 16 * 1024 * 1024 },
  maxPeersPerSegment: { kind: 'int', min: 1, max: 16 },
  liveEdgeFetchers: { kind: 'int', min: 1, max: 10 },
  maxPeerFailures: { kind: 'int', min: 1, max: 1000 },
  maxConcurrentUploads: { kind: 'int', min: 1, max: 64 },
  maxAvailability: { kind: 'int', min: 100, max: 1_000_000 },
  prefetchWindowS: { kind: 'number', min: 0, max: 3600 },
  adaptToDevice: { kind: 'boolean' },
  peerReceiveBudget: { kind: 'int', min: 1000, max: 1_000_000 },
};

/** Merges user settings over the defaults; a wrong field throws naming the field and the form it takes. */
export function resolveEngineConfig(input: unknown, prefix = 'config'): EngineConfig {
  if (input === undefined) return { ...DEFAULT_ENGINE_CONFIG };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ShoalConfigError(prefix, `must be an object, got ${describe(input)}`);
  }
  const config: EngineConfig = { ...DEFAULT_ENGINE_CONFIG };
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const rule = RULES[field as keyof EngineConfig];
    if (!rule) continue; // fields of other layers (adapters) are validated there
    checkField(`${prefix}.${field}`, value, rule);
    (config as unknown as Record<string, unknown>)[field] = value;
  }
  return config;
}

export function checkField(name: string, value: unknown, rule: Rule): void {
  if (rule.kind === 'boolean') {
    if (typeof value !== 'boolean') throw new ShoalConfigError(name, `must be true or false, got ${describe(value)}`);
    return;
  }
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (rule.kind === 'number' || Number.isInteger(value)) &&
    value >= rule.min &&
    value <= rule.max;
  if (!ok) {
    const form = rule.kind === 'int' ? 'an integer' : 'a number';
    throw new ShoalConfigError(name, `must be ${form} from ${rule.min} to ${rule.max}, got ${describe(value)}`);
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
