export { Shoal } from './shoal.js';
export { shakaSegmentRequest, parseRangeHeader } from './segment-request.js';
export type { ShakaLib, ShakaPlayer } from './shaka-api.js';
export type { ShoalEvents, ShoalLiveStats, IntegrityOption, ShoalOptions, ShoalWarning, ShoalWarningCode } from '@shoal/core';
export { ShoalConfigError, offloadRatio } from '@shoal/core';
export type { ShoalStats, EngineConfig, IntegrityEvent, HttpReason, HealthReason } from '@shoal/core';
export { VERSION, isSupported, supportReport, type SupportReport } from './release.js';
