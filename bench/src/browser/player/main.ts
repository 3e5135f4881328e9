/**
 * A bare player for tests and benches: plays ?src= with Shoal and keeps what a measurement needs
 * in window.__metrics (the type: ../page-contract.ts). Query: ?p2p=0 HTTP only; ?shoal=0 plain
 * hls.js (Shoal constructed, not used); ?tracker=, ?stats= (stats URL), ?config= and ?hls= (JSON
 * for Shoal and hls.js); ?hashFrags=1 hashes every fragment hls.js receives.
 * Runs after hls.js and the drop-in Shoal bundle, as globals (player.html).
 */
import type HlsClass from 'hls.js';
import type { Fragment, HlsConfig } from 'hls.js';
import { bufferedAheadS, type Shoal as ShoalClass, type ShoalOptions } from '@shoal/hlsjs';
import type { PageStall, PlayerWindow } from '../page-contract.js';
import { hashingLoader } from './hashing-loader.js';
import { emptyPlayerMetrics, LOG_LIMITS, recordSegment } from './metrics.js';

const page = window as unknown as PlayerWindow & { Hls: typeof HlsClass; Shoal: { Shoal: typeof ShoalClass } };
const { Hls } = page;
const params = new URLSearchParams(location.search);
const video = document.getElementById('video') as HTMLVideoElement;
const metrics = (page.__metrics = emptyPlayerMetrics(page.__pageStartedAt, page.__startupSteps, page.__built));
const since = () => Math.round(performance.now() - metrics.loadStartedAt);
const json = <T>(name: string): T | undefined => (params.get(name) ? (JSON.parse(params.get(name)!) as T) : undefined);

const tracker = params.get('tracker');
const statsUrl = params.get('stats');
const shoal = new page.Shoal.Shoal({
  trackerUrls: tracker ? [tracker] : [],
  p2p: params.get('p2p') !== '0',
  rtcConfig: { iceServers: [] },
  ...(statsUrl ? { statsUrl, statsIntervalMs: 2000 } : {}),
  ...json<ShoalOptions>('config'),
});
page.__shoal = shoal;
for (const event of ['warning', 'peer-connected', 'peer-disconnected', 'peer-misbehaved', 'segment-error'] as const) {
  shoal.on(event, (e) => console.log(`shoal ${event} ${JSON.stringify(e)}`));
}
const warn = (message: string) => {
  if (metrics.warnings.length < LOG_LIMITS.warnings) metrics.warnings.push({ t: since(), message });
};
shoal.on('warning', (e) => warn(e.message));
shoal.on('peer-bytes-dropped', (e) => warn(`dropped ${e.bytes} peer bytes of ${e.id.track}/${e.id.seq}: ${e.code} (${e.detail})`));
// A ban says what for: its detail starts with the misbehaviour's code.
shoal.on('peer-disconnected', (e) => {
  const key = e.code === 'banned' ? `banned ${e.detail.split(':')[0]}` : e.code;
  metrics.disconnects[key] = (metrics.disconnects[key] ?? 0) + 1;
});
shoal.on('health-changed', (e) => {
  warn(`health ${e.previous} -> ${e.level}: ${e.reason} ${Math.round(e.value * 100) / 100}`);
  if (metrics.healthLog.length < LOG_LIMITS.healthLog)
    metrics.healthLog.push({ t: since(), level: e.level, reason: e.reason, value: Math.round(e.value * 100) / 100 });
});
shoal.on('segment-loaded', (e) => recordSegment(metrics, since(), e, hls.media ? bufferedAheadS(hls.media) : 0));
// Integrity evidence: when each peer connected, what peers were caught sending.
const { integrity } = metrics;
shoal.on('peer-connected', (e) => void (integrity.connected[e.peerId] ??= since()));
shoal.on('segment-corrupted', (e) =>
  integrity.corrupted.push({ t: since(), track: e.id.track, seq: e.id.seq, peerIds: [...e.peerIds], bytes: e.bytes }),
);
shoal.on('peer-misbehaved', (e) => integrity.misbehaved.push({ t: since(), peerId: e.peerId, code: e.code, detail: e.detail }));

const hlsConfig = json<Partial<HlsConfig>>('hls') ?? {};
const useShoal = params.get('shoal') !== '0';
const config: Partial<HlsConfig> = useShoal ? shoal.hlsConfig(hlsConfig) : { ...hlsConfig };
if (params.get('hashFrags') === '1') config.fLoader = hashingLoader(config.fLoader ?? Hls.DefaultConfig.loader, integrity.fragHashes);
const hls = new Hls(config);
if (useShoal) shoal.attach(hls);
hls.on(Hls.Events.FRAG_LOADED, (_e, data) => {
  if (data.frag.sn === 'initSegment') return;
  metrics.fragBytes += data.frag.stats.loaded;
  metrics.fragCount++;
  metrics.levels.push(data.frag.level);
});
hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => metrics.levelSwitches.push(data.level));
// Where startup time goes: the first time each step happened, in ms since the page started.
const startup = metrics.startupSteps;
for (const step of ['MANIFEST_LOADING', 'MANIFEST_PARSED', 'LEVEL_LOADED', 'FRAG_LOADING', 'FRAG_LOADED', 'FRAG_BUFFERED'] as const) {
  hls.on(Hls.Events[step], () => void (startup[step] ??= since()));
}
shoal.on('peer-connected', () => void (startup['PEER_CONNECTED'] ??= since()));
hls.on(Hls.Events.ERROR, (_e, data) => {
  if (data.details === 'bufferStalledError') metrics.bufferStalledErrors++;
  if (data.fatal) metrics.fatalErrors.push(data.details);
  metrics.errors.push(data.details);
  if (metrics.errorLog.length < LOG_LIMITS.errorLog) {
    metrics.errorLog.push({
      t: since(),
      details: data.details,
      fatal: data.fatal,
      code: data.response?.code,
      sn: data.frag?.sn,
      level: data.frag?.level,
    });
  }
});
video.addEventListener('playing', () => {
  if (metrics.firstFrameMs !== null) return;
  metrics.firstFrameMs = performance.now() - metrics.loadStartedAt;
  // What the page fetched (and got) before its first frame: with P2P the same as without.
  metrics.requestsBeforeFirstFrame = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    .filter((e) => e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest')
    .map((e) => e.name);
});

// Stall attribution: when hls.js started loading each main fragment (the last 500), and at each
// stall the fragment playback waits for (the one after the buffered end) with that time; the
// bench joins it with Shoal's segment log (bench/src/results/stalls.ts).
const fragLoading = new Map<string, number>();
hls.on(Hls.Events.FRAG_LOADING, (_e, data) => {
  if (data.frag.type !== 'main' || typeof data.frag.sn !== 'number') return;
  const key = `${data.frag.level}/${data.frag.sn}`;
  fragLoading.delete(key);
  fragLoading.set(key, since());
  if (fragLoading.size > LOG_LIMITS.fragLoading) fragLoading.delete(fragLoading.keys().next().value!);
});
const neededFragment = (): Pick<PageStall, 'level' | 'sn' | 'requestedAtMs'> => {
  const bufferEnd = video.currentTime + bufferedAheadS(video);
  const level = hls.levels[hls.loadLevel >= 0 ? hls.loadLevel : hls.currentLevel];
  const frag: Fragment | undefined = level?.details?.fragments.find((f) => f.start + f.duration > bufferEnd + 0.1);
  if (!frag) return { level: null, sn: null, requestedAtMs: null };
  return { level: frag.level, sn: frag.sn as number, requestedAtMs: fragLoading.get(`${frag.level}/${frag.sn}`) ?? null };
};
video.addEventListener('waiting', () => {
  if (metrics.firstFrameMs === null) return;
  metrics.waiting++;
  const pos = Math.round(10 * video.currentTime) / 10;
  const open = metrics.stallLog[metrics.stallLog.length - 1];
  // Chromium may fire 'waiting' again within one stall: the same stall while the playhead has
  // not moved; if it moved, playback resumed without a 'playing' event and that stall ended.
  if (open && open.endT === null) {
    if (open.pos === pos) return;
    open.endT = since();
  }
  if (metrics.stallLog.length < LOG_LIMITS.stallLog) metrics.stallLog.push({ t: since(), endT: null, pos, ...neededFragment() });
});
video.addEventListener('playing', () => {
  const last = metrics.stallLog[metrics.stallLog.length - 1];
  if (last && last.endT === null) last.endT = since();
});
setInterval(() => {
  metrics.shoal = shoal.stats();
  if (Number.isFinite(hls.bandwidthEstimate)) metrics.bandwidthEstimate = hls.bandwidthEstimate;
  if (hls.latency !== undefined && Number.isFinite(hls.latency) && hls.latency > 0) metrics.latencyS.push(hls.latency);
}, 500);
hls.loadSource(params.get('src')!);
hls.attachMedia(video);
