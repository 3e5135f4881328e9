/** @shoal/tracker: the WebTorrent-compatible WebSocket tracker, stats service and dashboard. */
export { startTracker, type StartOptions, type RunningTracker } from './server.js';
export { defaultConfig, envName, FIELD_NAMES, FIELDS, type TrackerConfig, type LogLevel } from './config/fields.js';
export { resolveConfig, ConfigError } from './config/resolve.js';
export { mintJoinToken, verifyJoinToken, type MintOptions, type TokenCheck } from './auth/tokens.js';
export type { ApiStats } from './stats/api.js';
export type { StatsReport } from './stats/report.js';
