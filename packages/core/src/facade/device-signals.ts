import type { ShoalEngine } from '../engine/engine.js';

/**
 * The browser's own signs of a struggling device, fed to the engine's DeviceHealth: long tasks
 * (PerformanceObserver 'longtask', Chromium) and dropped video frames (getVideoPlaybackQuality),
 * and whether the page is hidden (its timers are clamped then, which is no sign of strain).
 * Either may be missing in a browser; the engine then goes by its own signals.
 */
export class DeviceSignals {
  private observer: PerformanceObserver | undefined;
  private lastFrames = { total: 0, dropped: 0 };
  private readonly onVisibility = () =>
    this.engine.reportDeviceSignal({ kind: 'page-hidden', hidden: document.visibilityState === 'hidden' });

  constructor(private readonly engine: ShoalEngine) {}

  start(): void {
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this.onVisibility);
      this.onVisibility();
    }
    if (this.observer || typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('longtask'))
      return;
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.engine.reportDeviceSignal({ kind: 'long-task', ms: entry.duration });
    });
    this.observer.observe({ type: 'longtask' });
  }

  /** Reports the frames shown and dropped since the last call. */
  sampleFrames(media: HTMLMediaElement | undefined): void {
    const quality = (media as HTMLVideoElement | undefined)?.getVideoPlaybackQuality?.();
    if (!quality) return;
    const total = quality.totalVideoFrames - this.lastFrames.total;
    const dropped = quality.droppedVideoFrames - this.lastFrames.dropped;
    this.lastFrames = { total: quality.totalVideoFrames, dropped: quality.droppedVideoFrames };
    if (total > 0 && dropped >= 0) this.engine.reportDeviceSignal({ kind: 'video-frames', total, dropped });
  }

  stop(): void {
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibility);
    this.observer?.disconnect();
    this.observer = undefined;
  }
}
