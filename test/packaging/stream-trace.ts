// What a caller of a streamx Duplex can observe, written down so two runs of one call script (on
// streamx and on scripts/browser-shims/streamx.ts) can be compared line by line.
import { vi } from 'vitest';
import * as shim from '../../scripts/browser-shims/streamx';

/** The part of a Duplex the bundled callers and our adapters read. */
export interface ObservedStream {
  readonly destroyed: boolean;
  readonly _readableState: { readonly ended: boolean };
  readonly _writableState: { readonly ended: boolean };
  on(name: string, listener: (...args: never[]) => void): unknown;
}

/** The events our code and the bundled callers listen to ('connect' is simple-peer's / simple-websocket's own). */
export const OBSERVED_EVENTS = ['connect', 'data', 'end', 'finish', 'drain', 'error', 'close'] as const;

export function describeState(stream: ObservedStream): string {
  return `destroyed=${stream.destroyed} readEnded=${stream._readableState.ended} writeEnded=${stream._writableState.ended}`;
}

function describeArgument(value: unknown): string {
  if (value instanceof Error) return `:${value.message}`;
  if (value instanceof Uint8Array) return `:[${value.join(',')}]`;
  return value === undefined ? '' : `:${JSON.stringify(value)}`;
}

/** Writes each event into log as it is emitted, with the stream's state at that moment. */
export function traceEvents(stream: ObservedStream, log: string[], events: readonly string[] = OBSERVED_EVENTS, label = ''): void {
  for (const name of events) {
    stream.on(name, (value?: unknown) => log.push(`${label}${name}${describeArgument(value)} ${describeState(stream)}`));
  }
}

/** Lets every queued microtask (and zero-delay timer) run. */
export const flush = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until check() holds, polling, or fails after timeoutMs. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await flush(10);
  }
}

export type DuplexSource = 'streamx' | 'shim';

/**
 * Loads a module afresh with `streamx` resolved to the package or to our shim, as the browser
 * bundles resolve it: the same simple-peer / simple-websocket code on either Duplex.
 */
export async function loadWithDuplex<T>(source: DuplexSource, load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  // The module this file imported, not a fresh copy: tests can check which Duplex a class extends.
  if (source === 'shim') vi.doMock('streamx', () => shim);
  else vi.doUnmock('streamx');
  return load();
}
