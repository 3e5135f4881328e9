// The drop-in file as a release publishes it: built by `npm run build` (npm test builds first).
import { existsSync, readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isSupported, supportReport } from '../src/release.js';

const dist = new URL('../dist/', import.meta.url);
const minFile = new URL('shoal-hlsjs.min.js', dist);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Gzipped size budget of shoal-hlsjs.min.js. Lower it as dependencies are trimmed (see the .contents.txt listing). */
const GZIP_BUDGET_BYTES = 40 * 1024;

function readMin(): string {
  if (!existsSync(minFile)) throw new Error(`${minFile.pathname} is missing: run \`npm run build\` first`);
  return readFileSync(minFile, 'utf8');
}

describe('shoal-hlsjs.min.js', () => {
  it(`is at most ${GZIP_BUDGET_BYTES} bytes gzipped, with its contents listed by size`, () => {
    const gzipped = gzipSync(readMin()).length;
    expect(gzipped).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
    const listing = readFileSync(new URL('shoal-hlsjs.min.js.contents.txt', dist), 'utf8');
    expect(listing).toMatch(/@shoal\/core: \d+/);
    expect(listing).toMatch(/bittorrent-tracker: \d+/);
  });

  it('starts with a banner naming the package and version, and ships its source map', () => {
    expect(readMin().startsWith(`/*! @shoal/hlsjs v${pkg.version} `)).toBe(true);
    expect(existsSync(new URL('shoal-hlsjs.min.js.map', dist))).toBe(true);
  });

  it('defines window.Shoal in a page with no process or Buffer, with version and isSupported()', () => {
    // Only the browser globals the bundle touches while loading; no Node globals at all.
    const page: Record<string, unknown> = { TextDecoder, TextEncoder, WebSocket: class {} };
    page.window = page.self = page;
    createContext(page);
    runInContext(readMin(), page);
    const shoal = page.Shoal as { version: string; isSupported(): boolean; Shoal: unknown; ShoalConfigError: unknown };
    expect(shoal.version).toBe(pkg.version);
    expect(typeof shoal.Shoal).toBe('function');
    expect(typeof shoal.ShoalConfigError).toBe('function');
    expect(shoal.isSupported()).toBe(false); // no MediaSource, no RTCPeerConnection here
    expect('process' in page || 'Buffer' in page).toBe(false);
  });
});

describe('isSupported', () => {
  class RTCPeerConnection {
    createDataChannel(): void {}
  }
  it('needs MediaSource (or ManagedMediaSource) and RTCPeerConnection with data channels', () => {
    expect(isSupported({ MediaSource: class {}, RTCPeerConnection })).toBe(true);
    expect(isSupported({ ManagedMediaSource: class {}, RTCPeerConnection })).toBe(true);
    expect(supportReport({ MediaSource: class {} })).toEqual({ mediaSource: true, webrtc: false });
    expect(supportReport({ RTCPeerConnection: class {}, MediaSource: class {} })).toEqual({ mediaSource: true, webrtc: false });
    expect(supportReport({ RTCPeerConnection })).toEqual({ mediaSource: false, webrtc: true });
  });
});
