import Server from 'bittorrent-tracker/server';
import type { AddressInfo } from 'node:net';

export interface LocalTracker {
  readonly wsUrl: string;
  /** Where pages POST their stats, when the tracker takes them. */
  readonly statsUrl: string | undefined;
  close(): Promise<void>;
}

/** A tracker on an ephemeral loopback port for a run. */
export async function startLocalTracker(): Promise<LocalTracker> {
  const server = new Server({ udp: false, http: false, ws: true, stats: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server as unknown as { ws: { address(): AddressInfo } }).ws.address();
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    statsUrl: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
