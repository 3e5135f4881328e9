/**
 * Vidstack with Shoal. Vidstack's HLS provider builds hls.js itself: on `provider-change` the page
 * hands it the hls.js class (its default is a CDN download) and `shoal.hlsConfig()`; the provider's
 * `onInstance` callback gives the instance before Vidstack calls attachMedia and loadSource on it.
 */
import 'vidstack/player';
import 'vidstack/player/layouts/default';
import 'vidstack/player/ui';
import { isHLSProvider } from 'vidstack';
import type { MediaPlayerElement } from 'vidstack/elements';
import { reportFailure, startPlayerPage } from './page.js';

async function main(): Promise<void> {
  const { shoal, manifestUrl, hlsSettings } = await startPlayerPage('Vidstack');
  const player = document.querySelector<MediaPlayerElement>('media-player');
  if (!player) throw new Error('the page has no <media-player>');
  player.addEventListener('provider-change', (event) => {
    const provider = event.detail;
    if (!isHLSProvider(provider)) return;
    provider.library = window.Hls;
    provider.config = shoal.hlsConfig(hlsSettings);
    provider.onInstance((hls) => shoal.attach(hls));
  });
  // The HLS type, so Vidstack picks its hls.js provider and not the browser's own HLS playback.
  player.src = { src: manifestUrl, type: 'application/x-mpegurl' };
}

main().catch(reportFailure);
