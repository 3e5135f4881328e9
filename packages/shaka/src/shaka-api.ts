/**
 * The part of Shaka Player's API Shoal uses (4.3 and later), typed structurally so the adapter
 * builds against any of those versions and tests can pass a stub. Names as in Shaka's externs:
 * shaka.extern.Request / Response / RequestContext / SchemePlugin, shaka.net.NetworkingEngine.
 */

export interface ShakaRetryParameters {
  readonly timeout: number;
  readonly connectionTimeout: number;
}

export interface ShakaRequest {
  uris: string[];
  method: string;
  headers: Record<string, string>;
  retryParameters: ShakaRetryParameters;
  streamDataCallback?: ((data: ArrayBuffer | ArrayBufferView) => Promise<unknown>) | null;
}

export interface ShakaResponse {
  uri: string;
  originalUri: string;
  data: ArrayBuffer;
  headers: Record<string, string>;
  status: number;
  /** Transfer time: Shaka's bandwidth estimator divides the bytes by it. */
  timeMs: number;
  fromCache: boolean;
  originalRequest: ShakaRequest;
}

/** shaka.media.SegmentReference, the fields read here. */
export interface ShakaSegmentReference {
  readonly startTime: number;
  readonly endTime: number;
}

/** shaka.extern.RequestContext: given to request filters, not to scheme plugins. */
export interface ShakaRequestContext {
  readonly type?: number;
  readonly segment?: ShakaSegmentReference | null;
  readonly stream?: { readonly type?: string } | null;
  readonly isPreload?: boolean;
}

export interface ShakaAbortableOperation<T> {
  readonly promise: Promise<T>;
  abort(): Promise<unknown>;
}

export type ShakaSchemePlugin = (
  uri: string,
  request: ShakaRequest,
  requestType: number,
  progressUpdated: (durationMs: number, bytes: number, remaining: number) => void,
  headersReceived: (headers: Record<string, string>) => void,
  config: { minBytesForProgressEvents?: number },
) => ShakaAbortableOperation<ShakaResponse>;

export type ShakaRequestFilter = (type: number, request: ShakaRequest, context?: ShakaRequestContext) => void | Promise<unknown>;

export interface ShakaNetworkingEngine {
  registerRequestFilter(filter: ShakaRequestFilter): void;
  unregisterRequestFilter(filter: ShakaRequestFilter): void;
}

export interface ShakaPlayer {
  getNetworkingEngine(): ShakaNetworkingEngine | null;
  getMediaElement(): HTMLMediaElement | null;
  getConfiguration(): { streaming?: { retryParameters?: Partial<ShakaRetryParameters> } };
  isLive(): boolean;
  addEventListener(type: string, listener: (event: Event & { buffering?: boolean }) => void): void;
  removeEventListener(type: string, listener: (event: Event & { buffering?: boolean }) => void): void;
}

/** The `shaka` namespace (window.shaka, or the shaka-player module's default export). */
export interface ShakaLib {
  readonly net: {
    readonly NetworkingEngine: {
      registerScheme(scheme: string, plugin: ShakaSchemePlugin, priority?: number, progressSupport?: boolean): void;
      unregisterScheme(scheme: string): void;
      readonly RequestType: { readonly MANIFEST: number; readonly SEGMENT: number };
      readonly AdvancedRequestType: { readonly INIT_SEGMENT: number; readonly MEDIA_SEGMENT: number };
      readonly PluginPriority: { readonly APPLICATION: number };
    };
    readonly HttpFetchPlugin: { parse: ShakaSchemePlugin; isSupported(): boolean };
    readonly HttpXHRPlugin: { parse: ShakaSchemePlugin };
  };
  readonly util: {
    readonly AbortableOperation: new <T>(promise: Promise<T>, onAbort: () => Promise<unknown>) => ShakaAbortableOperation<T>;
    readonly Error: new (severity: number, category: number, code: number, ...data: unknown[]) => Error;
  } & {
    readonly Error: {
      readonly Severity: { readonly RECOVERABLE: number };
      readonly Category: { readonly NETWORK: number };
      readonly Code: {
        readonly BAD_HTTP_STATUS: number;
        readonly HTTP_ERROR: number;
        readonly TIMEOUT: number;
        readonly OPERATION_ABORTED: number;
      };
    };
  };
}
