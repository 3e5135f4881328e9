/**
 * @shoal/test-kit: what the apps (demo, bench) and the tests share and no published package
 * should carry: the local HLS origin with its sample streams, the system Chromium (and Firefox) with
 * the flags (prefs) pages need to play and open WebRTC on loopback, the page bundler, and (./node/register.js)
 * Node WebRTC for bittorrent-tracker's client.
 */
export { DEFAULT_MEDIA_ROOT, startOrigin } from './origin/index.js';
export type { ByteCount, FaultRule, Origin, OriginOptions, OriginStats, RequestKind } from './origin/index.js';
export { classifyPath } from './origin/stats.js';
export { attr, parsePlaylist, type MediaPlaylist } from './origin/m3u8.js';
export { makeSelfSignedCert, type SelfSignedCert } from './origin/self-signed.js';
export { CHROMIUM_FLAGS, findChromium, launchChromium, type LaunchedBrowser } from './chromium.js';
export { FIREFOX_PREFS, findFirefox, launchFirefox } from './firefox.js';
export { bundlePage, type Bundle, type BundleOptions } from './page-bundle.js';
export { NODE_WEBRTC_REGISTER, NODE_WEBRTC_POLYFILL } from './node-webrtc.js';
export { HLS_SCRIPT_PATH, SHAKA_SCRIPT_PATH, SHOAL_IIFE_PATH, SHOAL_SHAKA_IIFE_PATH } from './page-scripts.js';
export { CASE_CPU_BUDGET_MS, withCpuBudget } from './fuzz/cpu-budget.js';
export { FUZZ_TARGETS, runFuzzTargets, type FuzzTarget, type FuzzTargetName } from './fuzz/long-run.js';
export { freshFolder, installInto, packWorkspaces, REPO_ROOT } from './tarballs.js';
export { describeDropIn, DROP_IN_GZIP_BUDGET_BYTES, type DropIn } from './drop-in-suite.js';
