import { startTracker } from '@shoal/tracker';

export interface LocalTracker {
  readonly wsUrl: string;
  /** Where pages POST their stats. */
  readonly statsUrl: string | undefined;
  close(): Promise<void>;
}

/** Shoal's own tracker service on an ephemeral loopback port, for one run. */
export async function startLocalTracker(): Promise<LocalTracker> {
  // Every page of a run connects from 127.0.0.1: the per-address cap is lifted accordingly.
  const tracker = await startTracker({ host: '127.0.0.1', port: 0, logLevel: 'warn', maxConnectionsPerIp: 1000 });
  return {
    wsUrl: tracker.wsUrl,
    statsUrl: `${tracker.httpUrl}/stats`,
    close: () => tracker.close(),
  };
}
