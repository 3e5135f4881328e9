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

function refill(b: Bucket, rate: number, burst: number, now: number): void {
  const elapsed = now - b.tokensAt;
  if (elapsed > 0) {
    b.tokens = Math.min(burst * 1000, b.tokens + elapsed * rate);
    b.tokensAt = now;
  }
}

export function take(b: Bucket, rate: number, burst: number, now: number): RateVerdict {
  refill(b, rate, burst, now);
  b.tokens -= 1000;
  if (b.tokens >= 0) return 'ok';
  return b.tokens < -burst * 1000 ? 'disconnect' : 'refuse';
}

/** Takes a token if there is one; a refusal costs nothing (the bucket never goes below empty). */
export function tryTake(b: Bucket, rate: number, burst: number, now: number): boolean {
  refill(b, rate, burst, now);
  if (b.tokens < 1000) return false;
  b.tokens -= 1000;
  return true;
}
