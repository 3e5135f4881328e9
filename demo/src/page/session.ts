/** One playback: a Shoal + hls.js pair on the page's video element, torn down as one. */
import { shortPeerId } from './format.js';
import { libraries, type Hls, type SegmentLoaded, type Shoal, type ShoalLiveStats } from './globals.js';
import type { PlaybackSample } from './playback-chart.js';

export interface SessionOptions {
  manifestUrl: string;
  /** Viewers with the same swarm id share segments (same stream and mode, whatever the host name). */
  swarmId: string;
  trackerWsUrl: string;
  statsUrl: string;
  p2p: boolean;
  live: boolean;
}

export interface SessionHandlers {
  stats(stats: ShoalLiveStats): void;
  segment(event: SegmentLoaded): void;
  log(kind: 'peer' | 'info' | 'warn' | 'error', text: string): void;
}

export interface Session {
  readonly shoal: Shoal;
  readonly hls: Hls;
  /** Buffer ahead, rendition and live latency now (for the playback chart). */
  sample(): PlaybackSample;
  destroy(): void;
}

export function startSession(video: HTMLVideoElement, options: SessionOptions, on: SessionHandlers): Session {
  const { Shoal, Hls } = libraries();
  const shoal = new Shoal.Shoal({
    trackerUrls: [options.trackerWsUrl],
    // The tracker takes reports only from members of a swarm: with P2P off this tab never joins one.
    ...(options.p2p ? { statsUrl: options.statsUrl, statsIntervalMs: 2000 } : {}),
    swarmId: options.swarmId,
    // Loopback demo, no internet: host candidates are all WebRTC needs.
    rtcConfig: { iceServers: [] },
    p2p: options.p2p,
  });
  const hls = new Hls(
    shoal.hlsConfig(
      options.live
        ? { liveSyncDurationCount: 3 }
        : // hls.js would buffer this small VOD whole in a second (its byte budget allows 600 s);
          // a 20 s buffer keeps segments flowing while you watch, as on a real-sized stream.
          { maxBufferLength: 20, maxMaxBufferLength: 20 },
    ),
  );
  shoal.attach(hls);

  shoal.on('stats', (s) => on.stats(s));
  shoal.on('segment-loaded', (e) => on.segment(e));
  shoal.on('peer-connected', (e) => on.log('peer', `peer ${shortPeerId(e.peerId)} connected (${e.peers} open)`));
  shoal.on('peer-disconnected', (e) => on.log('peer', `peer ${shortPeerId(e.peerId)} left: ${e.code} (${e.detail}) (${e.peers} open)`));
  shoal.on('peer-misbehaved', (e) => on.log('warn', `peer ${shortPeerId(e.peerId)} misbehaved: ${e.code} (${e.detail})`));
  shoal.on('segment-error', (e) => on.log('warn', `segment ${e.id.track}/${e.id.seq} failed: ${e.error.message}`));
  shoal.on('warning', (e) => on.log('warn', e.message));

  hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
    on.log('info', `manifest: ${data.levels.length} renditions (${data.levels.map((l) => `${l.height}p`).join(', ')})`);
    video.play().catch((error: Error) => on.log('warn', `autoplay blocked (${error.name}): press play`));
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
    const level = hls.levels[data.level];
    if (level) on.log('info', `rendition ${level.height}p`);
  });
  let recoveries = 0;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    on.log('error', `player error: ${data.type} / ${data.details}`);
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recoveries++ < 3) hls.recoverMediaError();
  });

  // The sample VOD is a minute long: start over at the end, so the page keeps something to show.
  const loop = () => {
    on.log('info', 'end of video, playing it again');
    video.currentTime = 0;
    video.play().catch(() => undefined);
  };
  if (!options.live) video.addEventListener('ended', loop);

  hls.loadSource(options.manifestUrl);
  hls.attachMedia(video);

  return {
    shoal,
    hls,
    sample() {
      const t = video.currentTime;
      let bufferS = 0;
      for (let i = 0; i < video.buffered.length; i++) {
        if (video.buffered.start(i) <= t + 0.1 && t < video.buffered.end(i)) bufferS = video.buffered.end(i) - t;
      }
      const height = hls.levels[hls.currentLevel]?.height;
      const latency = options.live ? hls.latency : NaN;
      return {
        bufferS,
        renditionP: height === undefined ? null : height,
        latencyS: Number.isFinite(latency) && latency > 0 ? latency : null,
      };
    },
    destroy() {
      video.removeEventListener('ended', loop);
      hls.destroy(); // Shoal tears itself down on hls.js's DESTROYING event
      video.removeAttribute('src');
      video.load();
    },
  };
}
