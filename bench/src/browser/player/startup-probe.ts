/**
 * The page's first script, before hls.js and Shoal load: notes when the page started, and when it
 * first opened a WebSocket (the tracker) and a peer connection, so every use is seen.
 */
import type { PlayerWindow } from '../page-contract.js';

const page = window as unknown as PlayerWindow & Record<string, unknown>;
page.__pageStartedAt = performance.now();
page.__startupSteps = {};
page.__built = { WebSocket: 0, RTCPeerConnection: 0, offers: 0, connected: 0 };
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
      const built = Reflect.construct(target, args, newTarget) as object;
      if (built instanceof EventTarget && 'createOffer' in built) countOutcome(built as RTCPeerConnection);
      return built;
    },
  });
}

/** Whether a peer connection made an offer, and whether it ever connected: the rest was setup work for nothing. */
function countOutcome(pc: RTCPeerConnection): void {
  const createOffer = pc.createOffer.bind(pc);
  pc.createOffer = ((...args: Parameters<RTCPeerConnection['createOffer']>) => {
    page.__built.offers++;
    return createOffer(...args);
  }) as RTCPeerConnection['createOffer'];
  const onState = () => {
    if (pc.connectionState !== 'connected') return;
    page.__built.connected++;
    pc.removeEventListener('connectionstatechange', onState);
  };
  pc.addEventListener('connectionstatechange', onState);
}
