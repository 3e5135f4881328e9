// Stands in for the `queue-microtask` package in browser bundles: every supported browser has it.
export default (task: () => void): void => queueMicrotask(task);
