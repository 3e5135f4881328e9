import type { RawData } from 'ws';

/** A message a `ws` client received, as text: String() of it would print an ArrayBuffer as "[object ArrayBuffer]". */
export function wsText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return data instanceof ArrayBuffer ? Buffer.from(data).toString() : data.toString();
}
