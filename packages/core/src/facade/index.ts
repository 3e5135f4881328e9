// What every player adapter shares: the session (engine, tracker, integrity, stats, join rule),
// its options table, live stats and events, warnings, and the browser's side of support.
export { ShoalSession } from './session.js';
export { BROWSER_DEPS, every, type ShoalDeps } from './deps.js';
export { SHOAL_OPTIONS, resolveOptions, type IntegrityOption, type ResolvedOptions, type ShoalOptions } from './options.js';
export { FORWARDED_ENGINE_EVENTS, type ShoalEvents, type ShoalLiveStats } from './live-stats.js';
export {
  IntegrityGate,
  conventionalManifestUrl,
  REQUIRED_MANIFEST_RETRIES,
  REQUIRED_MANIFEST_RETRY_MS,
  type IntegrityState,
} from './integrity-gate.js';
export { IdleJoin, JOIN_IDLE_MS, readyToJoin, type JoinSignals } from './join-rule.js';
export { MediaPlayhead, PlaybackMonitor, bufferedAheadS, BUFFER_GAP_TOLERANCE_S } from './media-playhead.js';
export { DeviceSignals } from './device-signals.js';
export { noWebrtcWarning, trackerUnreachableWarning, WarningConsole, type ShoalWarning, type ShoalWarningCode } from './warnings.js';
export { isSupported, supportReport, type SupportReport } from './support.js';
export { urlSegmentId, type SegmentLocation } from './url-segment-id.js';
