/**
 * The bare test player on Shaka Player (DASH, or HLS through Shaka): plays ?src= with
 * @shoal/shaka and fills window.__metrics like the hls.js page (main.ts; the type:
 * ../page-contract.ts). Levels are variant indexes by bandwidth, lowest 0, as hls.js counts them.
 * Query: ?p2p=0 HTTP only; ?shoal=0 plain Shaka; ?tracker=, ?config= (JSON for Shoal).
 * Runs after shaka-player and the drop-in Shoal bundle, as globals (player-shaka.html).
 */
import type { Shoal as ShoalClass, ShakaLib, ShakaPlayer, ShoalOptions } from '@shoal/shaka';
import type { PlayerWindow } from '../page-contract.js';
import { emptyPlayerMetrics, LOG_LIMITS, recordSegment } from './metrics.js';

interface ShakaTrack {
  readonly bandwidth: number;
  readonly active: boolean;
}
interface BenchShakaPlayer extends ShakaPlayer {
  attach(media: HTMLMediaElement): Promise<void>;
  load(url: string): Promise<void>;
  getVariantTracks(): ShakaTrack[];
  getStats(): { estimatedBandwidth: number; liveLatency?: number };
}
type ShakaGlobal = ShakaLib & { Player: new () => BenchShakaPlayer; polyfill: { installAll(): void } };

const page = window as unknown as PlayerWindow & { shaka: ShakaGlobal; Shoal: { Shoal: typeof ShoalClass } };
const { shaka } = page;
const params = new URLSearchParams(location.search);
const video = document.getElementById('video') as HTMLVideoElement;
const metrics = (page.__metrics = emptyPlayerMetrics(page.__pageStartedAt, page.__startupSteps, page.__built));
const since = () => Math.round(performance.now() - metrics.loadStartedAt);
const tracker = params.get('tracker');
const config = params.get('config') ? (JSON.parse(params.get('config')!) as ShoalOptions) : {};

const shoal = new page.Shoal.Shoal({
  trackerUrls: tracker ? [tracker] : [],
  p2p: params.get('p2p') !== '0',
  rtcConfig: { iceServers: [] },
  ...config,
});
page.__shoal = shoal;
shoal.on('warning', (e) => {
  if (metrics.warnings.length < LOG_LIMITS.warnings) metrics.warnings.push({ t: since(), message: e.message });
});
shoal.on('segment-loaded', (e) => recordSegment(metrics, since(), e, 0));
shoal.on('peer-connected', (e) => void (metrics.integrity.connected[e.peerId] ??= since()));

shaka.polyfill.installAll();
const player = new shaka.Player();
if (params.get('shoal') !== '0') shoal.attach(player, shaka);

/** The active variant's rank by bandwidth (0 = lowest), as hls.js numbers its levels. */
const activeLevel = (): number => {
  const bandwidths = [...new Set(player.getVariantTracks().map((t) => t.bandwidth))].sort((a, b) => a - b);
  const active = player.getVariantTracks().find((t) => t.active);
  return active ? bandwidths.indexOf(active.bandwidth) : -1;
};
player.addEventListener('segmentappended', (event: Event & { contentType?: string; start?: number; end?: number }) => {
  if (event.contentType === 'text') return;
  metrics.fragCount++;
  metrics.levels.push(activeLevel());
});
player.addEventListener('adaptation', () => metrics.levelSwitches.push(activeLevel()));
player.addEventListener('variantchanged', () => metrics.levelSwitches.push(activeLevel()));
player.addEventListener('buffering', (event) => {
  if (event.buffering && metrics.firstFrameMs !== null) metrics.bufferStalledErrors++;
});
player.addEventListener('error', (event: Event & { detail?: { code?: number; severity?: number } }) => {
  const code = String(event.detail?.code ?? 'unknown');
  metrics.errors.push(code);
  if (event.detail?.severity === 2) metrics.fatalErrors.push(code);
});
video.addEventListener('playing', () => {
  if (metrics.firstFrameMs === null) metrics.firstFrameMs = performance.now() - metrics.loadStartedAt;
  const last = metrics.stallLog[metrics.stallLog.length - 1];
  if (last && last.endT === null) last.endT = since();
});
video.addEventListener('waiting', () => {
  if (metrics.firstFrameMs === null) return;
  metrics.waiting++;
  const pos = Math.round(10 * video.currentTime) / 10;
  const open = metrics.stallLog[metrics.stallLog.length - 1];
  if (open && open.endT === null) {
    if (open.pos === pos) return; // the same stall, reported again
    open.endT = since();
  }
  if (metrics.stallLog.length < LOG_LIMITS.stallLog)
    metrics.stallLog.push({ t: since(), endT: null, pos, level: null, sn: null, requestedAtMs: null });
});
setInterval(() => {
  metrics.shoal = shoal.stats();
  metrics.fragBytes = metrics.shoal.httpBytes + metrics.shoal.p2pBytes;
  const stats = player.getStats();
  if (Number.isFinite(stats.estimatedBandwidth)) metrics.bandwidthEstimate = stats.estimatedBandwidth;
  if (stats.liveLatency && Number.isFinite(stats.liveLatency)) metrics.latencyS.push(stats.liveLatency);
}, 500);
void player
  .attach(video)
  .then(() => player.load(params.get('src')!))
  .catch((error: { code?: number; message?: string }) => metrics.fatalErrors.push(`load ${error?.code ?? error?.message ?? 'failed'}`));
