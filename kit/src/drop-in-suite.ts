// The checks every drop-in <script> file gets as a release publishes it (built by `npm run build`;
// npm test builds first): its gzipped budget, banner, source map, and that it defines window.Shoal.
import { existsSync, readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Gzipped size budget of every drop-in file. Lower it as dependencies are trimmed (see the .contents.txt listings). */
export const DROP_IN_GZIP_BUDGET_BYTES = 38 * 1024;

export interface DropIn {
  /** The package folder's URL (with a trailing slash). */
  readonly packageDir: URL;
  /** The file's name in dist/, e.g. shoal-hlsjs.min.js. */
  readonly file: string;
}

export function describeDropIn({ packageDir, file }: DropIn): void {
  const dist = new URL('dist/', packageDir);
  const minFile = new URL(file, dist);
  const pkg = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as { name: string; version: string };
  const readMin = () => {
    if (!existsSync(minFile)) throw new Error(`${minFile.pathname} is missing: run \`npm run build\` first`);
    return readFileSync(minFile, 'utf8');
  };

  describe(file, () => {
    it(`is at most ${DROP_IN_GZIP_BUDGET_BYTES} bytes gzipped, with its contents listed by size`, () => {
      expect(gzipSync(readMin()).length).toBeLessThanOrEqual(DROP_IN_GZIP_BUDGET_BYTES);
      const listing = readFileSync(new URL(`${file}.contents.txt`, dist), 'utf8');
      expect(listing).toMatch(/@shoal\/core: \d+/);
      expect(listing).toMatch(/bittorrent-tracker: \d+/);
    });

    it('starts with a banner naming the package and version, and ships its source map', () => {
      expect(readMin().startsWith(`/*! ${pkg.name} v${pkg.version} `)).toBe(true);
      expect(existsSync(new URL(`${file}.map`, dist))).toBe(true);
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
}
