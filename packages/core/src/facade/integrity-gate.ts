import type { Clock, HttpClient, TimerHandle } from '../io/interfaces.js';
import { MANIFEST_FILE_NAME } from '../integrity/manifest.js';
import { ManifestVerifier, type IntegrityEvent } from '../integrity/verifier.js';
import type { IntegrityOption } from './options.js';

/**
 * 'checking': peer bytes are verified against the hash manifest. 'unchecked': no manifest
 * (integrity 'auto'), peer bytes are trusted. 'http-only': no manifest under integrity
 * 'required', peers are off. 'pending': the manifest is not loaded yet. 'off': integrity 'off'.
 */
export type IntegrityState = 'checking' | 'unchecked' | 'http-only' | 'pending' | 'off';

/** integrity 'required': how often, and how many times, a manifest that failed to load is tried again before staying HTTP only. */
export const REQUIRED_MANIFEST_RETRY_MS = 10_000;
export const REQUIRED_MANIFEST_RETRIES = 6;

export interface IntegrityGateOptions {
  readonly mode: IntegrityOption;
  /** Set by the page; otherwise shoal-manifest.json next to the master playlist. */
  readonly manifestUrl: string | undefined;
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly onWarning: (message: string) => void;
  readonly onEvent: (event: IntegrityEvent) => void;
}

/**
 * The facade's side of segment integrity: owns the hash-manifest verifier, keeps the state
 * stats() reports, and decides when peers may start ('required': only once a manifest is there).
 */
export class IntegrityGate {
  /** The engine's SegmentVerifier; undefined when integrity is 'off'. */
  readonly verifier: ManifestVerifier | undefined;
  private current: IntegrityState;
  private retryTimer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly options: IntegrityGateOptions) {
    this.current = options.mode === 'off' ? 'off' : 'pending';
    if (options.mode === 'off') return;
    this.verifier = new ManifestVerifier({
      http: options.http,
      clock: options.clock,
      mode: options.mode,
      // 'required' asks again at every retry; the verifier alone would wait a minute after a 404.
      ...(options.mode === 'required' ? { absentRetryMs: REQUIRED_MANIFEST_RETRY_MS } : {}),
      ...(options.manifestUrl ? { manifestUrl: options.manifestUrl } : {}),
      onEvent: (event) => this.onVerifierEvent(event),
    });
  }

  get state(): IntegrityState {
    return this.current;
  }

  /** 'required': peers wait for a manifest, so nothing may expect them before it is there. */
  get required(): boolean {
    return this.verifier?.mode === 'required';
  }

  /** The swarm is joined: find the manifest, and start peers (`startPeers`) once integrity allows. */
  open(masterUrl: string, startPeers: () => void): void {
    const conventional = conventionalManifestUrl(masterUrl);
    if (this.verifier && !this.options.manifestUrl && conventional) this.verifier.setManifestUrl(conventional);
    if (this.required) {
      void this.startWhenVerifiable(startPeers, REQUIRED_MANIFEST_RETRIES);
    } else {
      void this.verifier?.load(); // ready before the first segment arrives from a peer
      startPeers();
    }
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async startWhenVerifiable(startPeers: () => void, retries: number): Promise<void> {
    const verifier = this.verifier!;
    if (await verifier.load()) {
      if (!this.closed) startPeers();
      return;
    }
    if (this.closed) return;
    // Said once; the retries stay quiet until one succeeds.
    const first = retries === REQUIRED_MANIFEST_RETRIES;
    this.current = 'http-only';
    if (first)
      this.options.onWarning(
        `integrity is "required" and no usable hash manifest is at ${verifier.manifestUrl}: peers are off, every segment comes over HTTP`,
      );
    if (retries > 0) {
      this.retryTimer = this.options.clock.setTimeout(
        () => void this.startWhenVerifiable(startPeers, retries - 1),
        REQUIRED_MANIFEST_RETRY_MS,
      );
    }
  }

  private onVerifierEvent(event: IntegrityEvent): void {
    if (event.type === 'manifest-loaded') this.current = 'checking';
    else if (!this.verifier?.hasManifest)
      this.current = this.required ? 'http-only' : event.type === 'manifest-missing' ? 'unchecked' : 'pending';
    if (event.type === 'manifest-missing' && this.verifier?.mode === 'auto') {
      this.options.onWarning(`no hash manifest at ${event.url} (HTTP ${event.status}): bytes from peers are not verified`);
    } else if (event.type === 'manifest-error') {
      this.options.onWarning(`hash manifest at ${event.url} unusable: ${event.message}; segments it cannot vouch for come over HTTP`);
    }
    this.options.onEvent(event);
  }
}

/** Where the hash manifest is by convention: shoal-manifest.json next to the master playlist (its query kept, for signed URLs). */
export function conventionalManifestUrl(masterUrl: string): string | undefined {
  try {
    const master = new URL(masterUrl, globalThis.location?.href);
    const url = new URL(MANIFEST_FILE_NAME, master);
    url.search = master.search;
    return url.href;
  } catch {
    return undefined;
  }
}
