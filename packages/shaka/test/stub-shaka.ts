// A stand-in for the parts of the shaka namespace the adapter uses: AbortableOperation and
// shaka.util.Error with Shaka's own numbers, so failures can be checked as Shaka would see them.
import type { ShakaAbortableOperation, ShakaLib, ShakaRequest, ShakaSchemePlugin } from '../src/shaka-api.js';

export class StubShakaError extends Error {
  readonly data: unknown[];
  constructor(
    readonly severity: number,
    readonly category: number,
    readonly code: number,
    ...data: unknown[]
  ) {
    super(`shaka error ${code}`);
    this.data = data;
  }
  static readonly Severity = { RECOVERABLE: 1 };
  static readonly Category = { NETWORK: 1 };
  static readonly Code = { BAD_HTTP_STATUS: 1001, HTTP_ERROR: 1002, TIMEOUT: 1003, OPERATION_ABORTED: 7001 };
}

class StubOperation<T> implements ShakaAbortableOperation<T> {
  constructor(
    readonly promise: Promise<T>,
    private readonly onAbort: () => Promise<unknown>,
  ) {}
  abort(): Promise<unknown> {
    return this.onAbort();
  }
}

export function stubShaka(
  httpPlugin: ShakaSchemePlugin = () => new StubOperation(Promise.reject(new Error('no HTTP here')), async () => undefined),
) {
  const schemes = new Map<string, ShakaSchemePlugin>();
  const lib = {
    net: {
      NetworkingEngine: {
        registerScheme: (scheme: string, plugin: ShakaSchemePlugin) => void schemes.set(scheme, plugin),
        unregisterScheme: (scheme: string) => void schemes.delete(scheme),
        RequestType: { MANIFEST: 0, SEGMENT: 1 },
        AdvancedRequestType: { INIT_SEGMENT: 0, MEDIA_SEGMENT: 1 },
        PluginPriority: { APPLICATION: 3 },
      },
      HttpFetchPlugin: { parse: httpPlugin, isSupported: () => true },
      HttpXHRPlugin: { parse: httpPlugin },
    },
    util: { AbortableOperation: StubOperation, Error: StubShakaError },
  } as unknown as ShakaLib;
  return { lib, schemes };
}

export function segmentRequest(headers: Record<string, string> = {}): ShakaRequest {
  return {
    uris: ['https://cdn.test/show/v0/seg_7.m4s'],
    method: 'GET',
    headers,
    retryParameters: { timeout: 30_000, connectionTimeout: 10_000 },
  };
}
