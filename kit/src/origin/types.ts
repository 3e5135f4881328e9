/** Public types of the local origin server. */

export type RequestKind = 'playlist' | 'init' | 'segment' | 'key' | 'other';

export interface OriginOptions {
  /** Directory containing stream folders (default: kit/media). */
  root: string;
  /** TCP port; 0 (default) picks an ephemeral port. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Segments in a live playlist (default 6). */
  liveWindow?: number;
  /** Clock in ms (default Date.now); drives the live timeline and `stats().since`. */
  clock?: () => number;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

export interface ByteCount {
  requests: number;
  bytes: number;
}

export interface OriginStats {
  requests: number;
  bytes: number;
  byKind: Record<RequestKind, ByteCount>;
  byPath: Record<string, ByteCount>;
  since: number;
}

export interface FaultRule {
  /** Substring of the request path, or the source of a RegExp tested against it. */
  match: string | RegExp;
  /** Answer with this status (and a short text body) instead of the resource. */
  status?: number;
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** Send only this many body bytes, then destroy the socket. */
  truncateTo?: number;
  /** Announce a Content-Length larger than the body, send the body, then destroy the socket. */
  wrongLength?: boolean;
  /** Apply to the first N matching requests only (default: unlimited). */
  times?: number;
}

export interface Origin {
  /** http://HOST:PORT (https:// with `tls`) */
  url: string;
  port: number;
  stats(): OriginStats;
  resetStats(): void;
  setFaults(rules: FaultRule[]): void;
  close(): Promise<void>;
}
