/**
 * Mistakes that would otherwise pass silently (P2P quietly off, the player's requests quietly
 * bypassing Shoal) become a 'warning' event with a typed code, and a console message that says
 * what to do. The player adapters add their own setup checks with the same codes.
 */
import { TRACKER_UNREACHABLE_AFTER } from '../adapters/tracker-health.js';
import type { SupportReport } from './support.js';

/**
 * 'no-shoal-loader': the player was not set up through this Shoal, so no segment goes through it.
 * 'loader-replaced': the page's own segment loader was replaced by Shoal's.
 */
export type ShoalWarningCode = 'no-shoal-loader' | 'loader-replaced' | 'no-webrtc' | 'tracker-unreachable';

export interface ShoalWarning {
  readonly message: string;
  /** Set for the warnings that mean a setup mistake or missing capability; see ShoalWarningCode. */
  readonly code?: ShoalWarningCode;
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
