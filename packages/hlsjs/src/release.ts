/** Facts about this build and this browser, for pages that decide whether to load Shoal at all. */

// Replaced by the package's version when rollup builds dist/ (see rollup.config.mjs).
declare const __SHOAL_VERSION__: string | undefined;

/** The @shoal/hlsjs version this code was built as ('0.0.0-source' when run from the TypeScript sources). */
export const VERSION: string = typeof __SHOAL_VERSION__ === 'string' ? __SHOAL_VERSION__ : '0.0.0-source';

/** What isSupported() looked at; a page can say which piece is missing. */
export interface SupportReport {
  /** MediaSource, or Safari's ManagedMediaSource: hls.js can play at all. */
  readonly mediaSource: boolean;
  /** RTCPeerConnection with data channels: peers can be reached. Without it Shoal plays over HTTP only. */
  readonly webrtc: boolean;
}

export function supportReport(scope: object = globalThis): SupportReport {
  const g = scope as Record<string, unknown>;
  const mediaSource = typeof g.MediaSource === 'function' || typeof g.ManagedMediaSource === 'function';
  const pc = g.RTCPeerConnection;
  const webrtc =
    typeof pc === 'function' && typeof (pc.prototype as { createDataChannel?: unknown } | undefined)?.createDataChannel === 'function';
  return { mediaSource, webrtc };
}

/** true when this browser can play HLS through hls.js and exchange segments with peers. */
export function isSupported(scope: object = globalThis): boolean {
  const report = supportReport(scope);
  return report.mediaSource && report.webrtc;
}
