// Stands in for `uint8-util` in browser bundles: the helpers bittorrent-tracker's client,
// simple-peer and simple-websocket import, and nothing else. The package's browser build turns
// bytes into hex with Uint8Array.prototype.toHex / fromHex (Chromium 140, Safari 18.2, Firefox
// 133), which older browsers lack; these run anywhere with TextEncoder and crypto.getRandomValues,
// and take less of the drop-in's size budget.
const HEX = '0123456789abcdef';
const byteHex = (byte: number) => HEX[byte >> 4]! + HEX[byte & 15]!;
/** A hex digit's value; anything else counts 0, as in the package. */
const nibble = (code: number) => (code >= 48 && code <= 57 ? code - 48 : (code | 32) >= 97 && (code | 32) <= 102 ? (code | 32) - 87 : 0);

export const arr2hex = (data: Uint8Array): string => Array.from(data, byteHex).join('');

export function hex2arr(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  return out;
}

/** A binary string (one char per byte) as hex. */
export const bin2hex = (binary: string): string => Array.from(binary, (char) => byteHex(char.charCodeAt(0) & 255)).join('');

export function hex2bin(hex: string): string {
  let binary = '';
  for (const byte of hex2arr(hex)) binary += String.fromCharCode(byte);
  return binary;
}

export const text2arr = (text: string): Uint8Array => new TextEncoder().encode(text);
export const arr2text = (data: Uint8Array, encoding?: string): string => new TextDecoder(encoding).decode(data);
export const randomBytes = (size: number): Uint8Array => crypto.getRandomValues(new Uint8Array(size));

export function concat(chunks: readonly Uint8Array[], size = 0): Uint8Array {
  const total = size || chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
