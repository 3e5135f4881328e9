/**
 * Clappr with Shoal. @clappr/player carries its HLS playback (@clappr/hlsjs-playback) with its own
 * hls.js build, which it makes from `playback.hlsjsConfig` and never hands out before use: this
 * page registers a subclass of that playback whose `_createHLSInstance` (a private method of
 * hlsjs-playback 1.x) attaches Shoal to the instance right after it is made, before
 * attachMedia and loadSource.
 */
import Clappr from '@clappr/player';
import { reportFailure, startPlayerPage } from './page.js';
import type { Shoal } from '../page/globals.js';

interface HlsPlayback {
  _hls: Parameters<Shoal['attach']>[0] | null;
  _createHLSInstance(): void;
}
type HlsPlaybackClass = (new (...args: unknown[]) => HlsPlayback) & { canPlay(resource: string, mimeType?: string): boolean };

async function main(): Promise<void> {
  const { shoal, manifestUrl, hlsSettings } = await startPlayerPage('Clappr');
  const lib = Clappr as { Player: new (options: object) => unknown; HLS: HlsPlaybackClass };
  class ShoalHlsPlayback extends lib.HLS {
    override _createHLSInstance(): void {
      super._createHLSInstance();
      if (this._hls) shoal.attach(this._hls);
    }
  }
  new lib.Player({
    source: manifestUrl,
    parentId: '#player',
    autoPlay: true,
    mute: true,
    width: '100%',
    height: '100%',
    playback: { hlsjsConfig: shoal.hlsConfig(hlsSettings) },
    // External playbacks come before the built-in ones: HLS sources get this one.
    plugins: { playback: [ShoalHlsPlayback] },
  });
}

main().catch(reportFailure);
