/**
 * The page's first script, before hls.js and Shoal load: notes when the page started, and when it
 * first opened a WebSocket (the tracker) and a peer connection, so every use is seen.
 */
import type { PlayerWindow } from '../page-contract.js';

const page = window as unknown as PlayerWindow & Record<string, unknown>;
page.__pageStartedAt = performance.now();
page.__startupSteps = {};
page.__built = { WebSocket: 0, RTCPeerConnection: 0 };
for (const [name, step] of [
  ['WebSocket', 'TRACKER_SOCKET'],
  ['RTCPeerConnection', 'PEER_CONNECTION'],
] as const) {
  const original = page[name];
  if (typeof original !== 'function') continue;
  page[name] = new Proxy(original, {
    construct(target, args, newTarget) {
      page.__startupSteps[step] ??= Math.round(performance.now() - page.__pageStartedAt);
      page.__built[name]++;
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
}
