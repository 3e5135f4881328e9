/** Shared by the integrity tests: hashes, a manifest for the harness's segments, and a fake-clock settle. */
import { createHash } from 'node:crypto';
import type { FakeClock, FakeOrigin } from '../src/sim/index.js';
import type { SegmentManifest } from '../src/index.js';

export const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const MANIFEST_URL = 'http://origin.test/shoal-manifest.json';

/** A manifest for the harness's segments (http://origin.test/seg-<n>.m4s). */
export function manifestFor(segments: ReadonlyArray<{ seq: number; bytes: Uint8Array }>, live = false): SegmentManifest {
  return {
    format: 'shoal-segment-hashes',
    version: 1,
    algorithm: 'SHA-256',
    live,
    renditions: [
      {
        playlist: 'index.m3u8',
        segments: segments.map(({ seq, bytes }) => ({ uri: `seg-${seq}.m4s`, seq, size: bytes.length, sha256: hex(bytes) })),
      },
    ],
  };
}

export function publish(origin: FakeOrigin, manifest: SegmentManifest | string): void {
  origin.files.set(MANIFEST_URL, new TextEncoder().encode(typeof manifest === 'string' ? manifest : JSON.stringify(manifest)));
}

/** Advances the fake clock until the promise settles (WebCrypto resolves on the real event loop). */
export async function settle<T>(clock: FakeClock, promise: Promise<T>, stepMs = 20): Promise<T> {
  let done = false;
  void promise.finally(() => (done = true)).catch(() => undefined);
  const deadline = Date.now() + 20_000;
  while (!done && Date.now() < deadline) {
    await clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return promise;
}
