// The parts of bittorrent-tracker's client that Shoal uses (the package ships no types).
declare module 'bittorrent-tracker/client' {
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
    // A type import, not an import declaration: an ambient module may not import a relative path
    // (skipLibCheck hid that error, and `peer` was silently untyped).
    on(event: 'peer', listener: (peer: import('./simple-peer-transport.js').SimplePeer) => void): this;
    on(event: 'warning' | 'error', listener: (error: Error) => void): this;
    on(event: 'update', listener: (data: { complete: number; incomplete: number }) => void): this;
    start(options?: Record<string, unknown>): void;
    update(options?: Record<string, unknown>): void;
    stop(options?: Record<string, unknown>): void;
    destroy(callback?: (error?: Error) => void): void;
  }
}
