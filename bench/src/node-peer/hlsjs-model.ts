/**
 * What a node peer copies from a page so that the engine sees the same requests: hls.js's
 * loading behaviour with its default settings, the player costs a bare engine does not have,
 * and one tracker socket per viewer as every page has.
 */

/** hls.js liveSyncDurationCount: live playback starts this many segments behind the edge. */
export const LIVE_SYNC_SEGMENTS = 3;

/**
 * hls.js's forward buffer target with its defaults (maxBufferLength 30 s, maxBufferSize 60 MB,
 * maxMaxBufferLength 600 s): max(30, 8 * 60e6 / bitrate), at most 600 s. For low-bitrate streams
 * such as the sample one that is the whole VOD.
 */
export function hlsjsBufferGoalS(bitrate: number): number {
  const bySize = bitrate > 0 ? (8 * 60e6) / bitrate : 0;
  return Math.min(600, Math.max(30, bySize));
}

/**
 * Player costs a page has and a bare engine has not, measured with hls.js 1.7 in headless
 * Chromium on this machine: ~200 ms from MANIFEST_LOADING to the first fragment request
 * (MediaSource attach, transmuxer worker, init segment), and ~15 ms per fragment to parse and
 * append it before the next request. Without them node peers would ask for segments before
 * the tracker has answered, which pages on this machine never did.
 */
export const PLAYER_SETUP_MS = 200;
export const APPEND_MS = 15;

/**
 * bittorrent-tracker's client shares one WebSocket per tracker URL among every client in a JS
 * realm, and each client then handles the messages meant for the others (duplicate answers,
 * "got unexpected answer", failed connections). Pages each have their own realm; node peers
 * sharing a process get a URL of their own instead (trackers accept any path and query).
 */
export function ownSocketUrl(trackerUrl: string, peerId: string): string {
  const url = new URL(trackerUrl);
  url.searchParams.set('shoal-bench-peer', peerId.slice(-12));
  return url.href;
}
