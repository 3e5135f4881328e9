import { checkField, DEFAULT_ENGINE_CONFIG, describe, resolveEngineConfig, ShoalConfigError, type EngineConfig } from '@shoal/core';

/** Everything a page can configure. Engine fields are documented on EngineConfig. */
export interface ShoalOptions extends Partial<EngineConfig> {
  /** WebSocket tracker URLs. Empty: no peers, every segment over HTTP. */
  trackerUrls?: string[];
  /** Turns P2P off entirely (HTTP only, stats still counted). Default true. */
  p2p?: boolean;
  /** Swarm key: viewers with the same key share segments. Default: the manifest URL without its query. */
  swarmId?: string;
  /** Where to POST offload stats (the tracker service's /stats). Optional. */
  statsUrl?: string;
  /** ms between stats reports. Default 10000. */
  statsIntervalMs?: number;
  /** ICE servers etc. Default: public STUN. On a LAN-only or loopback setup pass { iceServers: [] }. */
  rtcConfig?: RTCConfiguration;
  /** Upload to peers when the browser says it is on a cellular network. Default false. */
  uploadOnCellular?: boolean;
  /**
   * Segment integrity (see README "Integrity"). 'auto' (default): bytes from peers are checked
   * against the origin's hash manifest when it has one, and trusted as received when it has
   * none. 'required': without a usable manifest, peers are off and everything comes over HTTP.
   * 'off': peers' bytes are never checked.
   */
  integrity?: IntegrityOption;
  /** URL of the hash manifest. Default: shoal-manifest.json next to the master playlist. */
  manifestUrl?: string;
}

export type IntegrityOption = 'auto' | 'required' | 'off';
const INTEGRITY_OPTIONS: readonly IntegrityOption[] = ['auto', 'required', 'off'];

/** Options this layer reads itself; the rest must be engine fields. */
const ADAPTER_FIELDS = ['trackerUrls', 'p2p', 'swarmId', 'statsUrl', 'statsIntervalMs', 'rtcConfig', 'uploadOnCellular', 'integrity', 'manifestUrl'];

export interface ResolvedOptions {
  readonly engine: EngineConfig;
  readonly trackerUrls: readonly string[];
  readonly p2p: boolean;
  readonly swarmId: string | undefined;
  readonly statsUrl: string | undefined;
  readonly statsIntervalMs: number;
  readonly rtcConfig: RTCConfiguration;
  readonly uploadOnCellular: boolean;
  readonly integrity: IntegrityOption;
  /** Absolute; undefined = next to the master playlist. */
  readonly manifestUrl: string | undefined;
}

const DEFAULT_RTC_CONFIG: RTCConfiguration = {
  iceServers: [{ urls: ['stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478'] }],
};

/** Validates at construction: a wrong field throws a ShoalConfigError naming it and the expected form. */
export function resolveOptions(input: ShoalOptions | undefined): ResolvedOptions {
  const options: ShoalOptions = input ?? {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ShoalConfigError('options', `must be an object, got ${describe(options)}`);
  }
  const trackerUrls = options.trackerUrls ?? [];
  if (!Array.isArray(trackerUrls)) throw new ShoalConfigError('options.trackerUrls', `must be an array of ws:// or wss:// URLs, got ${describe(trackerUrls)}`);
  trackerUrls.forEach((url, i) => checkUrl(`options.trackerUrls[${i}]`, url, ['ws:', 'wss:']));
  if (options.statsUrl !== undefined) checkUrl('options.statsUrl', options.statsUrl, ['http:', 'https:']);
  if (options.swarmId !== undefined && (typeof options.swarmId !== 'string' || options.swarmId.length === 0 || options.swarmId.length > 1024)) {
    throw new ShoalConfigError('options.swarmId', `must be a non-empty string of at most 1024 characters, got ${describe(options.swarmId)}`);
  }
  if (options.p2p !== undefined) checkField('options.p2p', options.p2p, { kind: 'boolean' });
  if (options.uploadOnCellular !== undefined) checkField('options.uploadOnCellular', options.uploadOnCellular, { kind: 'boolean' });
  if (options.statsIntervalMs !== undefined) checkField('options.statsIntervalMs', options.statsIntervalMs, { kind: 'int', min: 1000, max: 3_600_000 });
  if (options.rtcConfig !== undefined && (typeof options.rtcConfig !== 'object' || options.rtcConfig === null || Array.isArray(options.rtcConfig))) {
    throw new ShoalConfigError('options.rtcConfig', `must be an RTCConfiguration object, got ${describe(options.rtcConfig)}`);
  }
  if (options.integrity !== undefined && !INTEGRITY_OPTIONS.includes(options.integrity)) {
    throw new ShoalConfigError('options.integrity', `must be one of ${INTEGRITY_OPTIONS.map((o) => `"${o}"`).join(', ')}, got ${describe(options.integrity)}`);
  }
  let manifestUrl: string | undefined;
  if (options.manifestUrl !== undefined) {
    checkUrl('options.manifestUrl', options.manifestUrl, ['http:', 'https:']);
    if (options.integrity === 'off') throw new ShoalConfigError('options.manifestUrl', 'is set but options.integrity is "off": remove one of them');
    manifestUrl = new URL(options.manifestUrl, globalThis.location?.href).href;
  }
  checkKnownFields(options);
  return {
    engine: resolveEngineConfig(options, 'options'),
    trackerUrls,
    p2p: options.p2p ?? true,
    swarmId: options.swarmId,
    statsUrl: options.statsUrl,
    statsIntervalMs: options.statsIntervalMs ?? 10_000,
    rtcConfig: options.rtcConfig ?? DEFAULT_RTC_CONFIG,
    uploadOnCellular: options.uploadOnCellular ?? false,
    integrity: options.integrity ?? 'auto',
    manifestUrl,
  };
}

/** A misspelt option would otherwise be silently ignored: name it, and the option it resembles. */
function checkKnownFields(options: object): void {
  const known = [...ADAPTER_FIELDS, ...Object.keys(DEFAULT_ENGINE_CONFIG)];
  for (const field of Object.keys(options)) {
    if (known.includes(field)) continue;
    const near = known.find((k) => k.toLowerCase() === field.toLowerCase() || (field.length > 3 && k.toLowerCase().startsWith(field.toLowerCase().slice(0, 4))));
    throw new ShoalConfigError(`options.${field}`, `is not a Shoal option${near ? ` (did you mean ${near}?)` : ''}`);
  }
}

function checkUrl(name: string, value: unknown, protocols: string[]): void {
  let ok = false;
  if (typeof value === 'string') {
    try {
      ok = protocols.includes(new URL(value, globalThis.location?.href).protocol);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new ShoalConfigError(name, `must be a ${protocols.map((p) => p + '//').join(' or ')} URL, got ${describe(value)}`);
}
