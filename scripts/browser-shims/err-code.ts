// Stands in for `err-code` in browser bundles: simple-peer tags its errors with it. Same contract
// for the calls it makes, errCode(error, code[, props]): the code and props become enumerable
// own properties of the error, which is returned.
export default function errCode<E extends Error>(error: E, code: string | Record<string, unknown>, props: Record<string, unknown> = {}): E {
  if (!error || typeof error === 'string') throw new TypeError('Please pass an Error to err-code');
  const fields = typeof code === 'object' ? code : { ...props, ...(code ? { code } : {}) };
  for (const [key, value] of Object.entries(fields)) Object.defineProperty(error, key, { value, enumerable: true, configurable: true });
  return error;
}
