import { ShoalSession } from '@shoal/core';
import { shakaSegmentRequest } from './segment-request.js';
import { loadSegmentForShaka } from './segment-loader.js';
import { registerShoalScheme, routeRequest } from './scheme-plugin.js';
import { isSupported, VERSION } from './release.js';
import type { ShakaLib, ShakaPlayer, ShakaRequestFilter } from './shaka-api.js';

/** Shaka's default streaming connectionTimeout, for a player config that has none. */
const SHAKA_CONNECTION_TIMEOUT_MS = 10_000;

/**
 * Shoal for Shaka Player (DASH and HLS). Create one per player:
 *   const shoal = new Shoal({ trackerUrls: ['wss://tracker.example.com'] });
 *   const player = new shaka.Player();
 *   shoal.attach(player, shaka);   // before player.attach(video) / player.load(url)
 * Media segments go through Shoal's engine (peers first); manifests, playlists, licences and
 * init segments through Shaka's own HTTP plugin. Everything but the Shaka wiring is @shoal/core's ShoalSession.
 */
export class Shoal extends ShoalSession {
  static readonly version = VERSION;
  /** MSE (or ManagedMediaSource) and WebRTC data channels are there; without WebRTC, Shoal plays over HTTP only. */
  static readonly isSupported = isSupported;
  private player: ShakaPlayer | undefined;
  private media: HTMLMediaElement | undefined;
  private playing = false;
  private detach: (() => void) | undefined;

  /** Connects Shoal to a Shaka player; `lib` is the shaka namespace (window.shaka by default). */
  attach(player: ShakaPlayer, lib: ShakaLib = (globalThis as { shaka?: ShakaLib }).shaka as ShakaLib): void {
    if (this.player) throw new Error('Shoal is already attached to a player; create one Shoal per player');
    const net = player.getNetworkingEngine();
    if (!lib?.net?.NetworkingEngine || !net)
      throw new Error('attach(player, shaka): pass the shaka namespace and a player that is not destroyed');
    this.player = player;
    registerShoalScheme(lib);
    const { RequestType, AdvancedRequestType } = lib.net.NetworkingEngine;
    let manifestSeen = false;
    const filter: ShakaRequestFilter = (type, request, context) => {
      if (type === RequestType.MANIFEST && !manifestSeen && request.uris[0]) {
        manifestSeen = true; // the MPD or the HLS multivariant playlist: the swarm's key
        this.manifestLoading(request.uris[0]);
      }
      this.watchMedia();
      if (type !== RequestType.SEGMENT) return;
      routeRequest(request, (uri, req, requestType, _progress, headersReceived) => {
        const loadRequest = shakaSegmentRequest(uri, req, context, AdvancedRequestType.MEDIA_SEGMENT, player.isLive());
        if (!loadRequest) return undefined;
        return loadSegmentForShaka(lib, uri, req, requestType, loadRequest, (r, c) => this.loadSegment(r, c), headersReceived);
      });
    };
    net.registerRequestFilter(filter);
    const onAppended = (event: Event & { contentType?: string }) => {
      if (event.contentType !== 'text') this.segmentBuffered();
    };
    // Shaka's 'buffering' event: true when playback waits for data; before the first frame that is startup, not a stall.
    const onBuffering = (event: Event & { buffering?: boolean }) => {
      if (event.buffering && this.playing) this.bufferStalled();
    };
    player.addEventListener('segmentappended', onAppended);
    player.addEventListener('buffering', onBuffering);
    this.detach = () => {
      net.unregisterRequestFilter(filter);
      player.removeEventListener('segmentappended', onAppended);
      player.removeEventListener('buffering', onBuffering);
    };
    this.watchMedia();
    this.sessionStarted();
  }

  override destroy(): void {
    this.detach?.();
    this.detach = undefined;
    super.destroy();
    this.player = undefined;
  }

  protected override firstByteTimeoutMs(): number {
    return this.player?.getConfiguration().streaming?.retryParameters?.connectionTimeout || SHAKA_CONNECTION_TIMEOUT_MS;
  }

  /** Shaka attaches its media element asynchronously (player.attach): picked up at the next request. */
  private watchMedia(): void {
    const media = this.player?.getMediaElement() ?? undefined;
    if (media === this.media) return;
    if (this.media) this.mediaDetached();
    this.media = media;
    if (!media) return;
    media.addEventListener('playing', () => (this.playing = true), { once: true });
    this.mediaAttached(media);
  }
}
