export { Shoal } from './shoal.js';
export type { ShoalEvents, ShoalLiveStats, IntegrityOption, ShoalOptions, ShoalWarning, ShoalWarningCode } from '@shoal/core';
export { bufferedAheadS, BUFFER_GAP_TOLERANCE_S } from '@shoal/core';
export { createFragmentLoaderClass } from './fragment-loader.js';
export { fragmentToRequest } from './segment-mapping.js';
export { ShoalConfigError, offloadRatio } from '@shoal/core';
export type {
  ShoalStats,
  EngineConfig,
  IntegrityEvent,
  DisconnectCode,
  DropCode,
  MisbehaviorCode,
  HttpReason,
  HealthReason,
  PeerInfo,
  PeerState,
  PlanBasis,
} from '@shoal/core';
export { VERSION, isSupported, supportReport, type SupportReport } from './release.js';
