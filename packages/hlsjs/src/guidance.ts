/**
 * Mistakes that would otherwise pass silently (P2P quietly off, the user's loader quietly gone)
 * become a 'warning' event with a typed code, and a console message that says what to do.
 */
import { TRACKER_UNREACHABLE_AFTER } from '@shoal/core';
import type { SupportReport } from './release.js';

export type ShoalWarningCode = 'no-shoal-loader' | 'loader-replaced' | 'no-webrtc' | 'tracker-unreachable';

export interface ShoalWarning {
  readonly message: string;
  /** Set for the warnings that mean a setup mistake or missing capability; see ShoalWarningCode. */
  readonly code?: ShoalWarningCode;
}

/** attach(): the player's fLoader is not one this Shoal made, so no segment will go through Shoal. */
export function foreignLoaderWarning(fLoader: unknown, ours: WeakSet<object>): ShoalWarning | undefined {
  // A subclass of Shoal's loader (a page that wraps it to observe fragments) still loads through Shoal.
  for (let c: unknown = fLoader; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (ours.has(c)) return undefined;
  }
  return {
    code: 'no-shoal-loader',
    message:
      "attach(): this player was not created with this Shoal's hlsConfig(), so every segment bypasses Shoal (0 bytes from peers). " +
      'Create it as new Hls(shoal.hlsConfig({ ...yourSettings })) and attach that player. Shoal stays out of the swarm.',
  };
}

/** hlsConfig(base): base already has an fLoader, which Shoal's replaces. */
export function replacedLoaderWarning(base: { fLoader?: unknown } | undefined): ShoalWarning | undefined {
  if (base?.fLoader === undefined) return undefined;
  return {
    code: 'loader-replaced',
    message:
      "hlsConfig(): your fLoader is replaced by Shoal's and never called: Shoal loads media segments itself (peers, then fetch). " +
      'Init segments and playlists still go through config.loader. Pass hlsConfig() your other settings only.',
  };
}

/** new Shoal(): trackers are configured but this browser has no WebRTC data channels. */
export function noWebrtcWarning(support: SupportReport, trackerUrls: readonly string[], p2p: boolean): ShoalWarning | undefined {
  if (support.webrtc || !p2p || trackerUrls.length === 0) return undefined;
  return {
    code: 'no-webrtc',
    message:
      'WebRTC data channels (RTCPeerConnection) are not available in this browser or page: peers are off, every segment comes over HTTP.',
  };
}

export function trackerUnreachableWarning(trackerUrls: readonly string[], lastError: string | undefined): ShoalWarning {
  return {
    code: 'tracker-unreachable',
    message:
      `the tracker (${trackerUrls.join(', ')}) cannot be reached${TRACKER_UNREACHABLE_AFTER > 1 ? ` after ${TRACKER_UNREACHABLE_AFTER} tries` : ''}${lastError ? ` (${lastError})` : ''}: ` +
      'no peers until it answers (retrying); segments come over HTTP. Check the URL, that the tracker runs, and its allowedOrigins.',
  };
}

/** Console output for coded warnings, once per code per Shoal: a page that never listens for 'warning' still learns. */
export class WarningConsole {
  private readonly shown = new Set<ShoalWarningCode>();

  show(warning: ShoalWarning): void {
    if (!warning.code || this.shown.has(warning.code)) return;
    this.shown.add(warning.code);
    globalThis.console?.warn(`[shoal] ${warning.message}`);
  }
}
