/** What the demo server tells the page (GET /config.json). Shared by server and page. */
export interface DemoConfig {
  /** Base URL of the local origin, e.g. http://127.0.0.1:8081 */
  originUrl: string;
  /** WebSocket URL of the tracker, e.g. ws://127.0.0.1:8000 */
  trackerWsUrl: string;
  /** HTTP side of the tracker (POST /stats, dashboard at /). */
  trackerHttpUrl: string;
  /** Sample stream names the origin serves (folders of its media root). */
  streams: string[];
}

export type Mode = 'vod' | 'live';

export function manifestUrl(config: DemoConfig, mode: Mode, stream: string): string {
  return `${config.originUrl}/${mode}/${encodeURIComponent(stream)}/master.m3u8`;
}
