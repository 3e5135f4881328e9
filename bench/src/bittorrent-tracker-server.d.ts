// The part of bittorrent-tracker's server that the bench uses as a stand-in tracker (no types ship).
declare module 'bittorrent-tracker/server' {
  export default class Server {
    constructor(options: { udp?: boolean; http?: boolean; ws?: boolean; stats?: boolean; trustProxy?: boolean });
    listen(port: number, hostname: string, callback: () => void): void;
    close(callback?: () => void): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
