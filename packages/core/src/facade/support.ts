/** What a browser offers Shoal, for pages that decide whether to load it at all. */

/** What isSupported() looked at; a page can say which piece is missing. */
export interface SupportReport {
  /** MediaSource, or Safari's ManagedMediaSource: an MSE player (hls.js, Shaka) can play at all. */
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

/** true when this browser can play through an MSE player and exchange segments with peers. */
export function isSupported(scope: object = globalThis): boolean {
  const report = supportReport(scope);
  return report.mediaSource && report.webrtc;
}
