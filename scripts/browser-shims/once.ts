// Stands in for the `once` package (and its `wrappy`) in browser bundles: bittorrent-tracker's
// client wraps one callback with it. Same contract: the first call runs the function and its result
// is returned to every later call, which does nothing else.
export default function once<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let called = false;
  let value: R;
  return function (this: unknown, ...args: A): R {
    if (!called) {
      called = true;
      value = fn.apply(this, args);
    }
    return value;
  };
}
