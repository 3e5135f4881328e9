/**
 * What the player example pages (demo/public/players/*.html) share: the stream chosen in the URL,
 * one Shoal for the page's hls.js instance, a line of numbers, and stall counting. Each page's own
 * script (plyr.ts, vidstack.ts, videojs.ts, clappr.ts) only wires its player to hls.js and Shoal.
 */
import type { HlsConfig } from 'hls.js';
import { manifestUrl, type DemoConfig, type Mode } from '../page/config.js';
import { formatBytes } from '../page/format.js';
import type { Shoal } from '../page/globals.js';

/** What a test (or a curious person in the console) reads: `window.shoalPlayerPage`. */
export interface PlayerPageState {
  readonly player: string;
  readonly shoal: Shoal;
  /** `waiting` events of the page's media element after it first played, seeks left out. */
  stalls: number;
  /** The media element has played (its first `playing` event). */
  playing: boolean;
  /** Codes of Shoal's `warning` events: `no-shoal-loader` would say the player bypassed Shoal. */
  readonly warnings: string[];
}

declare global {
  interface Window {
    shoalPlayerPage?: PlayerPageState;
  }
}

export interface PlayerSetup {
  readonly shoal: Shoal;
  readonly manifestUrl: string;
  readonly live: boolean;
  /** hls.js settings for the demo's short sample streams, to pass through `shoal.hlsConfig()`. */
  readonly hlsSettings: Partial<HlsConfig>;
}

/**
 * Reads the demo's config and the page URL (`?mode=vod|live&stream=sample&p2p=0`), makes the
 * page's Shoal and starts the numbers line. The swarm is the demo page's own for the same stream:
 * a Plyr viewer and a viewer of the main demo page share segments.
 */
export async function startPlayerPage(player: string): Promise<PlayerSetup> {
  const Sdk = window.Shoal;
  if (!Sdk) throw new Error('shoal-hlsjs.iife.js did not load');
  const config = (await (await fetch('/config.json')).json()) as DemoConfig;
  const query = new URLSearchParams(location.search);
  const mode: Mode = query.get('mode') === 'live' ? 'live' : 'vod';
  const stream = query.get('stream') ?? config.streams[0] ?? 'sample';
  const p2p = query.get('p2p') !== '0';
  const shoal = new Sdk.Shoal({
    trackerUrls: [config.trackerWsUrl],
    swarmId: `shoal-demo/${mode}/${stream}`,
    // Loopback demo, no internet: host candidates are all WebRTC needs.
    rtcConfig: { iceServers: [] },
    p2p,
  });
  const state: PlayerPageState = { player, shoal, stalls: 0, playing: false, warnings: [] };
  shoal.on('warning', (e) => state.warnings.push(e.code ?? e.message));
  window.shoalPlayerPage = state;
  countStalls(state);
  showNumbers(shoal, `${player} · ${mode === 'live' ? 'LIVE' : 'VOD'} · ${stream} · P2P ${p2p ? 'on' : 'off'}`);
  return {
    shoal,
    manifestUrl: manifestUrl(config, mode, stream),
    live: mode === 'live',
    // As on the demo page: hls.js would buffer the one-minute sample VOD whole in a second.
    hlsSettings: mode === 'live' ? { liveSyncDurationCount: 3 } : { maxBufferLength: 20, maxMaxBufferLength: 20 },
  };
}

/**
 * Media events do not bubble, but a capturing listener on the document sees them from whatever
 * element the player made (some make theirs late, or inside their own markup).
 */
function countStalls(state: PlayerPageState): void {
  document.addEventListener('playing', () => (state.playing = true), true);
  document.addEventListener(
    'waiting',
    (event) => {
      const media = event.target as HTMLMediaElement;
      if (state.playing && !media.seeking) state.stalls += 1;
    },
    true,
  );
}

function showNumbers(shoal: Shoal, title: string): void {
  const heading = document.getElementById('now-playing');
  if (heading) heading.textContent = title;
  const line = document.getElementById('numbers');
  shoal.on('stats', (s) => {
    if (!line) return;
    const stalls = window.shoalPlayerPage?.stalls ?? 0;
    line.textContent = `HTTP ${formatBytes(s.httpBytes)} · P2P ${formatBytes(s.p2pBytes)} · uploaded ${formatBytes(s.uploadBytes)} · ${s.peers} peers · ${stalls} stalls`;
  });
}

/** Shows a start failure on the page as well as in the console. */
export function reportFailure(error: unknown): void {
  const line = document.getElementById('numbers');
  if (line) line.textContent = `could not start: ${error instanceof Error ? error.message : String(error)}`;
  console.error(error);
}
