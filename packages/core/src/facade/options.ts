/**
 * Everything a page can pass to `new Shoal(options)`: the facade's own rows and the engine's, in
 * one table from which ShoalOptions, the defaults, the validation and the README's Configuration
 * table derive (`npm run docs:options`). The comment above a row is its doc.
 */
import { checkStreamLabel, STATS_REPORTER_OPTIONS, STREAM_LABEL_FORM } from '../adapters/stats-reporter.js';
import { ENGINE_OPTIONS, type EngineConfig } from '../engine/config.js';
import { bool, custom, oneOf, reject, resolveOptionTable, ShoalConfigError, type OptionsInput, type OptionsOf } from '../options/index.js';

const DEFAULT_RTC_CONFIG: RTCConfiguration = {
  iceServers: [{ urls: ['stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478'] }],
};

// The forms the custom rows accept, as error messages and the README say them.
const TRACKER_URLS = 'an array of ws:// or wss:// URLs';
const SWARM_ID = 'a non-empty string of at most 1024 characters';
const RTC_CONFIG = 'an RTCConfiguration object';

export const SHOAL_OPTIONS = {
  /** WebSocket tracker URLs (`wss://` in production). Empty: HTTP only. */
  trackerUrls: custom<string[]>([], TRACKER_URLS, (value, field) => {
    if (!Array.isArray(value)) return reject(field, TRACKER_URLS, value);
    return value.map((url, i) => checkUrl(`${field}[${i}]`, url, ['ws:', 'wss:']));
  }),
  /** `false` turns peers off entirely; stats are still counted. */
  p2p: bool(true),
  /** Viewers with the same id share segments (one swarm per stream, all renditions). */
  swarmId: custom<string | undefined>(
    undefined,
    SWARM_ID,
    (value, field) => (typeof value === 'string' && value.length > 0 && value.length <= 1024 ? value : reject(field, SWARM_ID, value)),
    'manifest URL without query',
  ),
  /** Where offload stats are POSTed (the tracker service's `/stats`); sent every `statsIntervalMs` and at page exit. */
  statsUrl: urlRow(['http:', 'https:'], 'none'),
  /** The stream's name on the tracker's dashboard, `/api/stats` and `/metrics` (sent with the stats reports; viewers of one swarm should agree: the name most of them send wins). */
  streamLabel: custom<string | undefined>(
    undefined,
    STREAM_LABEL_FORM,
    (value, field) => checkStreamLabel(value) ?? reject(field, STREAM_LABEL_FORM, value),
    "manifest URL's path",
  ),
  /** Time between two stats reports to `statsUrl`. */
  statsIntervalMs: STATS_REPORTER_OPTIONS.intervalMs,
  /** `RTCPeerConnection` config (ICE/TURN servers); on a LAN-only or loopback setup pass `{ iceServers: [] }`. */
  rtcConfig: custom<RTCConfiguration>(
    DEFAULT_RTC_CONFIG,
    RTC_CONFIG,
    (value, field) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : reject(field, RTC_CONFIG, value)),
    'public STUN',
  ),
  /** Upload even when `navigator.connection.type` is `cellular`. */
  uploadOnCellular: bool(false),
  /** Check peers' bytes against the origin's hash manifest: `'auto'`, `'required'` or `'off'` (see [Integrity](#integrity)). */
  integrity: oneOf(['auto', 'required', 'off'], 'auto'),
  /** URL of the hash manifest (default `<master dir>/shoal-manifest.json`). */
  manifestUrl: urlRow(['http:', 'https:'], 'next to the master playlist'),
  ...ENGINE_OPTIONS,
};

/** Everything a page can configure; each field's doc is on its SHOAL_OPTIONS row. */
export type ShoalOptions = OptionsInput<typeof SHOAL_OPTIONS>;
export type IntegrityOption = OptionsOf<typeof SHOAL_OPTIONS>['integrity'];

type FacadeOptions = Omit<OptionsOf<typeof SHOAL_OPTIONS>, keyof EngineConfig>;
export type ResolvedOptions = Readonly<FacadeOptions> & {
  readonly engine: EngineConfig;
  /** Absolute; undefined = next to the master playlist. */
  readonly manifestUrl: string | undefined;
};

/** Validates at construction: a wrong field throws a ShoalConfigError naming it and the expected form. */
export function resolveOptions(input: ShoalOptions | undefined): ResolvedOptions {
  const all = resolveOptionTable(SHOAL_OPTIONS, input ?? {}, { prefix: 'options', unknownFields: { notA: 'a Shoal option' } });
  if (all.manifestUrl !== undefined && all.integrity === 'off') {
    throw new ShoalConfigError('options.manifestUrl', 'is set but options.integrity is "off": remove one of them');
  }
  const engine: Record<string, unknown> = {};
  const facade: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all))
    (Object.prototype.hasOwnProperty.call(ENGINE_OPTIONS, name) ? engine : facade)[name] = value;
  return {
    ...(facade as FacadeOptions),
    engine: engine as EngineConfig,
    manifestUrl: all.manifestUrl === undefined ? undefined : new URL(all.manifestUrl, globalThis.location?.href).href,
  };
}

function urlRow(protocols: string[], defaultText: string) {
  return custom<string | undefined>(undefined, urlForm(protocols), (value, field) => checkUrl(field, value, protocols), defaultText);
}

function urlForm(protocols: string[]): string {
  return `a ${protocols.map((p) => p + '//').join(' or ')} URL`;
}

function checkUrl(field: string, value: unknown, protocols: string[]): string {
  if (typeof value === 'string') {
    try {
      if (protocols.includes(new URL(value, globalThis.location?.href).protocol)) return value;
    } catch {
      // not a URL: rejected below
    }
  }
  return reject(field, urlForm(protocols), value);
}
