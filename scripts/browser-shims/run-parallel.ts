// Stands in for `run-parallel` in browser bundles: bittorrent-tracker's client destroys its
// trackers with it. Same contract for an array or object of tasks: all start at once, the callback
// runs once (never in the same tick) with the first error, or with the results in the tasks' shape.
type Done = (error: unknown, result?: unknown) => void;
type Task = (done: Done) => void;

export default function parallel(tasks: Task[] | Record<string, Task>, callback?: (error: unknown, results: unknown) => void): void {
  const byKey = tasks as Record<string | number, Task>;
  const keys = Array.isArray(tasks) ? tasks.map((_, index) => index) : Object.keys(tasks);
  const results = (Array.isArray(tasks) ? [] : {}) as Record<string | number, unknown>;
  let pending = keys.length;
  let finished = false;
  let sync = true;
  const finish = (error: unknown) => {
    if (finished) return;
    finished = true;
    if (!callback) return;
    if (sync) queueMicrotask(() => callback(error, results));
    else callback(error, results);
  };
  if (pending === 0) finish(null);
  for (const key of keys) {
    byKey[key]!((error, result) => {
      results[key] = result;
      if (--pending === 0 || error) finish(error);
    });
  }
  sync = false;
}
