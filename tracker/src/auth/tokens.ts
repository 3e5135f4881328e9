/**
 * Signed join tokens. A site's backend mints one per viewer with a secret it shares with the
 * tracker; the tracker lets a peer join a swarm only with a token for that swarm that has not
 * expired. Format: `v1.<info_hash as 40 hex>.<expiry, unix seconds>.<signature>`, where the
 * signature is base64url(HMAC-SHA256(secret, "v1.<info_hash hex>.<expiry>")).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface MintOptions {
  /** Shared secret (also listed in the tracker's tokenSecrets). */
  readonly secret: string;
  /** The swarm's info_hash as 40 lowercase hex characters. */
  readonly infoHash: string;
  /** Expiry as unix seconds. */
  readonly expiresAt: number;
}

export type TokenCheck = 'ok' | 'malformed' | 'bad_signature' | 'expired' | 'wrong_swarm';

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function mintJoinToken(o: MintOptions): string {
  if (!/^[0-9a-f]{40}$/.test(o.infoHash)) throw new Error('infoHash must be 40 lowercase hex characters');
  if (!Number.isInteger(o.expiresAt) || o.expiresAt <= 0) throw new Error('expiresAt must be unix seconds');
  const payload = `v1.${o.infoHash}.${o.expiresAt}`;
  return `${payload}.${sign(o.secret, payload)}`;
}

const TOKEN_RE = /^v1\.([0-9a-f]{40})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** Checks a token against any of the secrets, for a swarm (40 hex), at `nowSec` (unix seconds). */
export function verifyJoinToken(token: string, secrets: readonly string[], infoHash: string, nowSec: number): TokenCheck {
  const m = TOKEN_RE.exec(token);
  if (!m) return 'malformed';
  const [, swarm, exp, sig] = m as unknown as [string, string, string, string];
  const payload = `v1.${swarm}.${exp}`;
  const given = Buffer.from(sig, 'base64url');
  const valid = secrets.some((s) => {
    const expected = Buffer.from(sign(s, payload), 'base64url');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!valid) return 'bad_signature';
  if (swarm !== infoHash) return 'wrong_swarm';
  if (Number(exp) <= nowSec) return 'expired';
  return 'ok';
}
