import { createFetchHttpClient, type FetchHttpOptions } from '../adapters/fetch-http.js';
import { swarmInfoHash } from '../adapters/identity.js';
import { systemClock } from '../adapters/system-clock.js';
import type { Clock, HttpClient } from '../io/interfaces.js';

/**
 * What the Shoal facade takes from the platform: time, HTTP and WebCrypto. A page gets the
 * browser's (performance.now, timers, fetch, crypto.subtle); unit tests pass the fake clock, an
 * in-memory origin and a hash that settles within the fake clock's step, so join timing, stats
 * and the integrity retries run without real time.
 */
export interface ShoalDeps {
  readonly clock: Clock;
  /** An HTTP client with these limits (segments, the hash manifest). */
  readonly http: (options: FetchHttpOptions) => HttpClient;
  /** The swarm's info_hash for a swarm key (the join's first step). */
  readonly swarmInfoHash: (swarmKey: string) => Promise<string>;
}

export const BROWSER_DEPS: ShoalDeps = { clock: systemClock, http: createFetchHttpClient, swarmInfoHash };

/** Calls `tick` every `ms` on `clock` until the returned function is called. */
export function every(clock: Clock, ms: number, tick: () => void): () => void {
  let handle = clock.setTimeout(function run() {
    handle = clock.setTimeout(run, ms);
    tick();
  }, ms);
  return () => clock.clearTimeout(handle);
}
