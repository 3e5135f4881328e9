/**
 * The page's libraries arrive as classic scripts that define globals (see index.html); these are
 * their types. Type-only imports: nothing of these packages is bundled into app.js.
 */
import type * as ShoalSdk from '@shoal/hlsjs';
import type HlsClass from 'hls.js';
import type { Chart as ChartClass } from 'chart.js';

declare global {
  interface Window {
    Shoal: Pick<typeof ShoalSdk, 'Shoal' | 'ShoalConfigError' | 'offloadRatio'>;
    Hls: typeof HlsClass;
    Chart: typeof ChartClass;
  }
}

export type Shoal = ShoalSdk.Shoal;
export type ShoalLiveStats = ShoalSdk.ShoalLiveStats;
export type ShoalEvents = ShoalSdk.ShoalEvents;
export type Hls = HlsClass;
export type SegmentLoaded = ShoalEvents['segment-loaded'];
export type PeerInfo = ShoalSdk.PeerInfo;

export function libraries(): { Shoal: Window['Shoal']; Hls: Window['Hls']; Chart: Window['Chart'] } {
  const { Shoal, Hls, Chart } = window;
  if (!Shoal || !Hls || !Chart) throw new Error('a library script did not load (Shoal, Hls or Chart missing)');
  return { Shoal, Hls, Chart };
}
