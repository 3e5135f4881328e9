// bittorrent-tracker's own WebSocket client as the tests drive it (Node peers with real WebRTC
// through @roamhq/wrtc, aliased in vitest.config.ts), and a bounded wait for one event.
export interface DataPeer {
  id?: string;
  on(event: 'connect', fn: () => void): void;
  on(event: 'data', fn: (data: Uint8Array) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  send(data: string): void;
  destroy(): void;
}
export interface TrackerClient {
  on(event: 'peer', fn: (peer: DataPeer) => void): void;
  on(event: 'warning' | 'error', fn: (err: Error) => void): void;
  on(event: 'update', fn: (data: { complete: number; incomplete: number }) => void): void;
  on(event: 'scrape', fn: (data: { complete: number; incomplete: number; downloaded: number }) => void): void;
  start(): void;
  stop(): void;
  scrape(): void;
  destroy(cb?: () => void): void;
}
export type ClientCtor = new (opts: Record<string, unknown>) => TrackerClient;

const CLIENT_MODULE = 'bittorrent-tracker/client';
export async function loadClient(): Promise<ClientCtor> {
  const mod = (await import(CLIENT_MODULE)) as { default: ClientCtor };
  return mod.default;
}

export function once<T>(register: (fn: (v: T) => void) => void, ms = 10_000, what = 'event'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    register((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
