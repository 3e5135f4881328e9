/** Rounds to `digits` decimals (result.json keeps numbers short and stable). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
