/** Parsing of a single-range HTTP Range header (RFC 9110 §14). */

/** Inclusive byte interval [start, end]. */
export interface ByteInterval {
  start: number;
  end: number;
}

export type RangeResult =
  | { kind: 'none' } // no usable Range: serve the whole resource (200)
  | { kind: 'range'; range: ByteInterval } // 206
  | { kind: 'unsatisfiable' }; // 416

/**
 * Interpret a Range header against a resource of `size` bytes. Multi-range and malformed headers
 * are ignored (a server may always answer 200 with the full body); syntactically valid single
 * ranges that select no byte are unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return { kind: 'none' };
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return { kind: 'none' };
  if (a === '') {
    // suffix range: the last b bytes
    const n = Number(b);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - n), end: size - 1 } };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== '' && Number(b) < start) return { kind: 'none' }; // invalid: ignore
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', range: { start, end } };
}
