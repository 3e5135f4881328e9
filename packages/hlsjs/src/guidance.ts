/** hls.js setup mistakes that would pass silently: the player's fLoader is not Shoal's, or the page's own was replaced. */
import type { ShoalWarning } from '@shoal/core';

/** attach(): the player's fLoader is not one this Shoal made, so no segment will go through Shoal. */
export function foreignLoaderWarning(fLoader: unknown, ours: WeakSet<object>): ShoalWarning | undefined {
  // A subclass of Shoal's loader (a page that wraps it to observe fragments) still loads through Shoal.
  for (let c: unknown = fLoader; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (ours.has(c)) return undefined;
  }
  return {
    code: 'no-shoal-loader',
    message:
      "attach(): this player was not created with this Shoal's hlsConfig(), so every segment bypasses Shoal (0 bytes from peers). " +
      'Create it as new Hls(shoal.hlsConfig({ ...yourSettings })) and attach that player. Shoal stays out of the swarm.',
  };
}

/** hlsConfig(base): base already has an fLoader, which Shoal's replaces. */
export function replacedLoaderWarning(base: { fLoader?: unknown } | undefined): ShoalWarning | undefined {
  if (base?.fLoader === undefined) return undefined;
  return {
    code: 'loader-replaced',
    message:
      "hlsConfig(): your fLoader is replaced by Shoal's and never called: Shoal loads media segments itself (peers, then fetch). " +
      'Init segments and playlists still go through config.loader. Pass hlsConfig() your other settings only.',
  };
}
