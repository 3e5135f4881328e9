/**
 * video.js with Shoal. video.js plays HLS with its own engine (VHS), which is not hls.js: this
 * page registers an hls.js source handler on video.js's HTML5 tech, ahead of VHS, so HLS sources
 * play through hls.js and Shoal while video.js keeps its UI, events and API.
 */
import videojs from 'video.js';
import { reportFailure, startPlayerPage } from './page.js';

const HLS_TYPES = ['application/x-mpegurl', 'application/vnd.apple.mpegurl'];

interface Tech {
  el(): HTMLMediaElement;
}

async function main(): Promise<void> {
  const { shoal, manifestUrl, hlsSettings } = await startPlayerPage('video.js');
  const Hls = window.Hls;
  const canPlayType = (type: string) => (Hls.isSupported() && HLS_TYPES.includes(type.toLowerCase()) ? 'probably' : '');
  const handler = {
    canPlayType,
    canHandleSource: (source: { type?: string }) => canPlayType(source.type ?? ''),
    handleSource(source: { src: string }, tech: Tech) {
      const hls = new Hls(shoal.hlsConfig(hlsSettings));
      shoal.attach(hls);
      hls.loadSource(source.src);
      hls.attachMedia(tech.el());
      return { dispose: () => hls.destroy() };
    },
  };
  // Index 0: before VHS, which video.js registered when it loaded.
  const html5 = videojs.getTech('Html5') as unknown as { registerSourceHandler(h: typeof handler, index: number): void };
  html5.registerSourceHandler(handler, 0);
  const player = videojs('video', { autoplay: 'muted', muted: true, controls: true, fluid: true });
  player.src({ src: manifestUrl, type: 'application/x-mpegURL' });
}

main().catch(reportFailure);
