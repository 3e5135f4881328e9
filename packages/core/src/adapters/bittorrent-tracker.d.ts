// The parts of bittorrent-tracker's client that Shoal uses (the package ships no types).
declare module 'bittorrent-tracker/client' {
  import type { SimplePeer } from './simple-peer-transport.js';

  export interface ClientOptions {
    infoHash: string;
    peerId: string;
    announce: string[];
    port?: number;
    rtcConfig?: RTCConfiguration;
    getAnnounceOpts?: () => Record<string, unknown>;
  }

  export default class Client {
    constructor(options: ClientOptions);
    on(event: 'peer', listener: (peer: SimplePeer) => void): this;
    on(event: 'warning' | 'error', listener: (error: Error) => void): this;
    on(event: 'update', listener: (data: { complete: number; incomplete: number }) => void): this;
    start(options?: Record<string, unknown>): void;
    update(options?: Record<string, unknown>): void;
    stop(options?: Record<string, unknown>): void;
    destroy(callback?: (error?: Error) => void): void;
  }
}
