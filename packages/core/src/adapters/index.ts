export { systemClock } from './system-clock.js';
export { createFetchHttpClient, FETCH_HTTP_OPTIONS } from './fetch-http.js';
export type { FetchHttpOptions } from './fetch-http.js';
export { TrackerDirectory, TRACKER_DIRECTORY_OPTIONS } from './tracker-directory.js';
export type { TrackerDirectoryOptions } from './tracker-directory.js';
export { simplePeerTransport } from './simple-peer-transport.js';
export type { SimplePeer } from './simple-peer-transport.js';
export {
  StatsReporter,
  STATS_REPORTER_OPTIONS,
  MAX_STREAM_LABEL_CHARS,
  STREAM_LABEL_FORM,
  checkStreamLabel,
  defaultStreamLabel,
} from './stats-reporter.js';
export type { StatsReport, StatsReporterOptions, PlaybackCounters } from './stats-reporter.js';
export { SampleBuffer, MAX_SAMPLES_PER_KIND } from './report-samples.js';
export type { ReportSamples, SampleKind } from './report-samples.js';
export { randomPeerId, swarmInfoHash } from './identity.js';
export { TrackerHealth, TRACKER_UNREACHABLE_AFTER } from './tracker-health.js';
export type { TrackerState } from './tracker-health.js';
