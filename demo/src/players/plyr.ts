/**
 * Plyr with Shoal. Plyr only dresses the <video> element: the page makes hls.js itself, exactly as
 * without a player UI, and Plyr takes the element hls.js plays into.
 */
import Plyr from 'plyr';
import { reportFailure, startPlayerPage } from './page.js';

async function main(): Promise<void> {
  const { shoal, manifestUrl, hlsSettings } = await startPlayerPage('Plyr');
  const Hls = window.Hls;
  const video = document.querySelector('video');
  if (!video) throw new Error('the page has no <video>');
  const hls = new Hls(shoal.hlsConfig(hlsSettings));
  shoal.attach(hls);
  hls.loadSource(manifestUrl);
  hls.attachMedia(video);
  // Plyr's icons and blank video default to its CDN: this machine (and many sites) serve their own.
  new Plyr(video, { autoplay: true, muted: true, iconUrl: '/vendor/plyr.svg', blankVideo: '' });
}

main().catch(reportFailure);
