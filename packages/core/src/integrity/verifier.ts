import { HttpError, type ByteRange, type Clock, type HttpClient, type SegmentVerifier, type Verdict } from '../io/interfaces.js';
import { int, oneOf, resolveOptionTable, type OptionsInput, type OptionsOf } from '../options/index.js';
import { indexManifest, parseManifest, segmentLookupKey, sha256Hex, type SegmentFingerprint } from './manifest.js';

/**
 * 'auto': verify against the manifest when the origin has one; without one (404), peer bytes
 * are accepted unchecked. 'required': peer bytes are only ever accepted when they match the
 * manifest; without a manifest every segment comes over HTTP.
 */
export type IntegrityMode = OptionsOf<typeof VERIFIER_OPTIONS>['mode'];

export type IntegrityEvent =
  | { type: 'manifest-loaded'; url: string; segments: number; live: boolean }
  | { type: 'manifest-missing'; url: string; status: number }
  | { type: 'manifest-error'; url: string; message: string };

/** The verifier's tunables; the comment above a row is its doc (README tables: `npm run docs:options`). */
export const VERIFIER_OPTIONS = {
  /** `'auto'`: without a manifest (404), peer bytes are accepted unchecked. `'required'`: peer bytes are only accepted when they match the manifest. */
  mode: oneOf(['auto', 'required'], 'auto'),
  /** A manifest request that has not finished after this long is abandoned. */
  fetchTimeoutMs: int(10_000, 100, 600_000, 'ms'),
  /** Least time between two requests for a live manifest. */
  minRefreshMs: int(1000, 0, 3_600_000, 'ms'),
  /** Least time between two requests for a VOD manifest that lacks a requested segment. */
  staleRefreshMs: int(30_000, 0, 86_400_000, 'ms'),
  /** Longest a verification waits for a live manifest to list a new segment. */
  liveWaitMs: int(3000, 0, 600_000, 'ms'),
  /** After a 404 for the manifest, look again after this long. */
  absentRetryMs: int(60_000, 0, 86_400_000, 'ms'),
  /** Largest manifest accepted. */
  maxManifestBytes: int(16 * 1024 * 1024, 1024, 2 ** 30, 'bytes'),
  /** Most segment fingerprints remembered (the oldest are forgotten first). */
  maxEntries: int(200_000, 1, 10_000_000),
};

export interface ManifestVerifierOptions extends OptionsInput<typeof VERIFIER_OPTIONS> {
  readonly http: HttpClient;
  readonly clock: Clock;
  /** Where the manifest is; may instead be set later with setManifestUrl(). */
  readonly manifestUrl?: string;
  readonly onEvent?: (event: IntegrityEvent) => void;
}

type State = 'idle' | 'loaded' | 'absent' | 'failed';

const MAX_FAILURE_BACKOFF_MS = 60_000;
const MAX_REFRESHES_PER_VERIFY = 4;

/**
 * Checks segment bytes against the origin's hash manifest (SHA-256 through WebCrypto). The
 * manifest is fetched once, cached, and fetched again (rate-limited) when a segment is not in
 * it yet, which is how a live manifest keeps up with the packager.
 */
export class ManifestVerifier implements SegmentVerifier {
  private readonly opts: OptionsOf<typeof VERIFIER_OPTIONS> & Pick<ManifestVerifierOptions, 'http' | 'clock' | 'onEvent'>;
  private url: string | undefined;
  private state: State = 'idle';
  private live = false;
  private index = new Map<string, SegmentFingerprint>();
  private inflight: Promise<void> | undefined;
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private generation = 0;

  constructor(options: ManifestVerifierOptions) {
    const tunables = resolveOptionTable(VERIFIER_OPTIONS, options, { prefix: 'ManifestVerifier options', unknownFields: 'ignore' });
    this.opts = { ...tunables, http: options.http, clock: options.clock, onEvent: options.onEvent };
    this.url = options.manifestUrl;
  }

  get mode(): IntegrityMode {
    return this.opts.mode;
  }

  get manifestUrl(): string | undefined {
    return this.url;
  }

  /** Whether a manifest is loaded (so peer bytes are being checked). */
  get hasManifest(): boolean {
    return this.state === 'loaded' || (this.state === 'failed' && this.index.size > 0);
  }

  /** Points at a (new) manifest and forgets everything known from the previous one. */
  setManifestUrl(url: string): void {
    if (url === this.url) return;
    this.url = url;
    this.generation++;
    this.state = 'idle';
    this.index = new Map();
    this.inflight = undefined;
    this.lastFetchAt = Number.NEGATIVE_INFINITY;
    this.failures = 0;
  }

  /** Fetches the manifest if it is not loaded yet; resolves with whether one is available. */
  async load(): Promise<boolean> {
    await this.ensure();
    return this.hasManifest;
  }

  async verify(segment: { readonly url: string; readonly byteRange?: ByteRange }, bytes: Uint8Array): Promise<Verdict> {
    const noReference: Verdict = this.mode === 'required' ? 'unverifiable' : 'unknown';
    if (this.url === undefined) return noReference;
    const key = segmentLookupKey(segment.url, segment.byteRange);
    if (key === undefined) return 'unverifiable';
    await this.ensure();
    let expected = this.index.get(key);
    if (!expected) {
      if (this.state === 'absent') return noReference;
      if (this.state === 'idle') return 'unverifiable'; // the manifest URL changed meanwhile
      expected = await this.waitFor(key);
      if (!expected) return 'unverifiable';
    }
    if (bytes.length !== expected.size) return 'mismatch';
    return (await sha256Hex(bytes)) === expected.sha256 ? 'ok' : 'mismatch';
  }

  knownSize(segment: { readonly url: string; readonly byteRange?: ByteRange }): number | undefined {
    const key = segmentLookupKey(segment.url, segment.byteRange);
    return key === undefined ? undefined : this.index.get(key)?.size;
  }

  /**
   * Refetches the manifest (rate-limited, bounded) until it lists the key or time runs out.
   * Only fetches count against the bound: waiting out minRefreshMs must not use them up.
   */
  private async waitFor(key: string): Promise<SegmentFingerprint | undefined> {
    const started = this.opts.clock.now();
    const generation = this.generation;
    for (let fetches = 0; fetches < MAX_REFRESHES_PER_VERIFY;) {
      if (generation !== this.generation) return undefined;
      const now = this.opts.clock.now();
      const gap = this.live ? this.opts.minRefreshMs : this.opts.staleRefreshMs;
      const nextAllowed = this.lastFetchAt + gap;
      if (this.inflight) {
        await this.inflight;
      } else if (nextAllowed <= now) {
        await this.fetchManifest();
      } else if (this.live && nextAllowed - started <= this.opts.liveWaitMs) {
        await this.sleep(nextAllowed - now);
        continue;
      } else {
        return undefined;
      }
      fetches++;
      const found = this.index.get(key);
      if (found) return found;
      if (!this.live || this.opts.clock.now() - started >= this.opts.liveWaitMs) return undefined;
    }
    return undefined;
  }

  private ensure(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.url === undefined) return Promise.resolve();
    const sinceLast = this.opts.clock.now() - this.lastFetchAt;
    const due =
      this.state === 'idle' ||
      (this.state === 'absent' && sinceLast >= this.opts.absentRetryMs) ||
      (this.state === 'failed' && sinceLast >= Math.min(MAX_FAILURE_BACKOFF_MS, 1000 * 2 ** (this.failures - 1)));
    return due ? this.fetchManifest() : Promise.resolve();
  }

  private fetchManifest(): Promise<void> {
    if (this.inflight) return this.inflight;
    const url = this.url;
    if (url === undefined) return Promise.resolve();
    const generation = this.generation;
    this.lastFetchAt = this.opts.clock.now();
    const run = this.fetchAndApply(url, generation).finally(() => {
      if (this.inflight === run) this.inflight = undefined;
    });
    this.inflight = run;
    return run;
  }

  private async fetchAndApply(url: string, generation: number): Promise<void> {
    const controller = new AbortController();
    let tooLarge = false;
    const timer = this.opts.clock.setTimeout(() => controller.abort(), this.opts.fetchTimeoutMs);
    let outcome: { kind: 'ok'; text: string } | { kind: 'missing'; status: number } | { kind: 'error'; message: string };
    try {
      const response = await this.opts.http.get({
        url,
        signal: controller.signal,
        onProgress: (loaded) => {
          if (loaded > this.opts.maxManifestBytes) {
            tooLarge = true;
            controller.abort();
          }
        },
      });
      if (response.data.length > this.opts.maxManifestBytes) tooLarge = true;
      outcome = tooLarge
        ? { kind: 'error', message: `manifest larger than ${this.opts.maxManifestBytes} bytes` }
        : { kind: 'ok', text: new TextDecoder().decode(response.data) };
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 0;
      if (tooLarge) outcome = { kind: 'error', message: `manifest larger than ${this.opts.maxManifestBytes} bytes` };
      else if (status === 404 || status === 410) outcome = { kind: 'missing', status };
      else
        outcome = {
          kind: 'error',
          message: controller.signal.aborted ? `no manifest within ${this.opts.fetchTimeoutMs} ms` : (error as Error).message,
        };
    } finally {
      this.opts.clock.clearTimeout(timer);
    }
    if (generation !== this.generation) return;
    if (outcome.kind === 'missing') {
      this.state = 'absent';
      this.index = new Map();
      this.opts.onEvent?.({ type: 'manifest-missing', url, status: outcome.status });
      return;
    }
    const parsed = outcome.kind === 'ok' ? parseManifest(outcome.text) : undefined;
    if (!parsed || !parsed.ok) {
      this.failures++;
      this.state = 'failed';
      const message = parsed && !parsed.ok ? `invalid manifest: ${parsed.error}` : (outcome as { message: string }).message;
      this.opts.onEvent?.({ type: 'manifest-error', url, message });
      return;
    }
    this.failures = 0;
    this.state = 'loaded';
    this.live = parsed.manifest.live === true;
    const fresh = indexManifest(parsed.manifest, url);
    for (const [key, value] of fresh) {
      this.index.delete(key); // re-insert: the Map's order is our age order
      this.index.set(key, value);
    }
    while (this.index.size > this.opts.maxEntries) {
      const oldest = this.index.keys().next().value as string;
      this.index.delete(oldest);
    }
    this.opts.onEvent?.({ type: 'manifest-loaded', url, segments: fresh.size, live: this.live });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.opts.clock.setTimeout(resolve, Math.max(0, ms)));
  }
}
