/**
 * Words for the ways `shoal-tracker` fails to start that are the operator's to fix (port taken,
 * no permission, unknown host): one line that says what to do, instead of a stack trace.
 */
export interface ListenTarget {
  readonly host: string;
  readonly port: number;
}

/** The operator-facing sentence for a start failure, or undefined for a bug (print the stack). */
export function describeStartError(error: unknown, target: ListenTarget): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const where = `${target.host}:${target.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${target.port} on ${target.host} is already in use (another tracker?). Stop that process or choose another port with --port or SHOAL_TRACKER_PORT.`;
    case 'EACCES':
      return `no permission to listen on ${where}: ports below 1024 need extra privileges; use a port of 1024 or more (--port) behind a proxy.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on ${where}: ${target.host} is not an address of this machine; set --host (0.0.0.0 for every interface).`;
    default:
      return undefined;
  }
}
