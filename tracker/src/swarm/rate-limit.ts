/**
 * Per-connection token bucket, in integer milli-tokens (small integers stay unboxed in V8
 * objects). Each message costs one token; tokens refill at `rate` per second up to `burst`. A
 * message without a token is refused; a client that keeps sending while refused drives its balance
 * down to -burst and is then disconnected.
 */

export interface Bucket {
  /** Milli-tokens. */
  tokens: number;
  /** Integer ms of the last refill. */
  tokensAt: number;
}

export type RateVerdict = 'ok' | 'refuse' | 'disconnect';

export function take(b: Bucket, rate: number, burst: number, now: number): RateVerdict {
  const elapsed = now - b.tokensAt;
  if (elapsed > 0) {
    b.tokens = Math.min(burst * 1000, b.tokens + elapsed * rate);
    b.tokensAt = now;
  }
  b.tokens -= 1000;
  if (b.tokens >= 0) return 'ok';
  return b.tokens < -burst * 1000 ? 'disconnect' : 'refuse';
}
