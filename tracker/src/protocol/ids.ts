/**
 * 20-byte ids (info_hash, peer_id, offer_id) travel in the WebTorrent protocol as "binary strings":
 * JSON strings of exactly 20 characters, each a code unit 0..255 standing for one byte.
 */

export const ID_LENGTH = 20;

/** True for a string of exactly 20 characters each in 0..255. */
export function isBinaryId(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== ID_LENGTH) return false;
  for (let i = 0; i < ID_LENGTH; i++) if (v.charCodeAt(i) > 0xff) return false;
  return true;
}

const HEX40 = /^[0-9a-f]{40}$/;

export function isHexId(v: unknown): v is string {
  return typeof v === 'string' && HEX40.test(v);
}

export function binaryToHex(id: string): string {
  return Buffer.from(id, 'latin1').toString('hex');
}

/** Expects 40 lowercase hex characters (check with isHexId first). */
export function hexToBinary(hex: string): string {
  return Buffer.from(hex, 'hex').toString('latin1');
}
