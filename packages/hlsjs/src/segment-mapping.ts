import type Hls from 'hls.js';
import type { FragmentLoaderContext } from 'hls.js';
import type { LoadRequest } from '@shoal/core';

/** Track ids keep renditions of different kinds apart within one swarm. */
const TRACK_BASE: Record<string, number> = { main: 0, audio: 1000, subtitle: 2000 };

/**
 * Maps an hls.js fragment to the engine's segment request. Init segments stay with hls.js's own
 * loader: they are small, fetched once, and not worth a peer round trip.
 */
export function fragmentToRequest(context: FragmentLoaderContext, hls: Hls | undefined): LoadRequest | undefined {
  const frag = context.frag;
  if (typeof frag.sn !== 'number' || context.part) return undefined;
  const base = TRACK_BASE[frag.type] ?? 3000;
  const levels = frag.type === 'audio' ? hls?.audioTracks : hls?.levels;
  const live = levels?.[frag.level]?.details?.live ?? false;
  const hasRange = context.rangeEnd !== undefined && context.rangeEnd > 0;
  return {
    id: { track: base + frag.level, seq: frag.sn },
    url: context.url,
    ...(hasRange ? { byteRange: { start: context.rangeStart ?? 0, end: (context.rangeEnd as number) - 1 } } : {}),
    durationS: frag.duration,
    startS: frag.start,
    live,
  };
}
