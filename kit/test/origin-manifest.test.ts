import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexManifest, parseManifest, segmentLookupKey } from '@shoal/core/integrity';
import { type Origin, startOrigin, DEFAULT_MEDIA_ROOT } from '../src/origin/index.js';

let now = 1_800_000_000_000;
let origin: Origin;

beforeAll(async () => {
  origin = await startOrigin({ root: DEFAULT_MEDIA_ROOT, clock: () => now, liveWindow: 6 });
});
afterAll(() => origin.close());

const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

async function manifestAt(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const parsed = parseManifest(await response.text());
  if (!parsed.ok) throw new Error(parsed.error);
  return indexManifest(parsed.manifest, url);
}

async function segmentUris(playlistUrl: string): Promise<string[]> {
  const text = await (await fetch(playlistUrl)).text();
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => new URL(l, playlistUrl).href);
}

describe('segment hash manifests on the local origin', () => {
  it('VOD: the committed manifest lists every segment of every sample stream with its true hash', async () => {
    for (const stream of ['sample', 'sample-aes', 'sample-byterange']) {
      const base = `${origin.url}/vod/${stream}`;
      const index = await manifestAt(`${base}/shoal-manifest.json`);
      const master = await (await fetch(`${base}/master.m3u8`)).text();
      const variants = master.split('\n').filter((l) => l && !l.startsWith('#'));
      let checked = 0;
      for (const variant of variants) {
        const playlistUrl = `${base}/${variant}`;
        const lines = (await (await fetch(playlistUrl)).text()).split('\n');
        let range: { start: number; end: number } | undefined;
        for (const line of lines) {
          const m = /^#EXT-X-BYTERANGE:(\d+)@(\d+)/.exec(line);
          if (m) range = { start: Number(m[2]), end: Number(m[2]) + Number(m[1]) - 1 };
          if (!line || line.startsWith('#')) continue;
          const url = new URL(line, playlistUrl).href;
          const headers: Record<string, string> = range ? { Range: `bytes=${range.start}-${range.end}` } : {};
          const bytes = await (await fetch(url, { headers })).arrayBuffer();
          expect(index.get(segmentLookupKey(url, range)!)?.sha256, `${stream} ${line}`).toBe(sha256(bytes));
          range = undefined;
          checked++;
        }
      }
      expect(checked).toBe(index.size);
    }
  });

  it('LIVE: the synthesized manifest covers the current window under live names, and follows the clock', async () => {
    for (let step = 0; step < 3; step++) {
      const base = `${origin.url}/live/sample`;
      const index = await manifestAt(`${base}/shoal-manifest.json`);
      for (const variant of ['v0', 'v1']) {
        const uris = await segmentUris(`${base}/${variant}/index.m3u8`);
        expect(uris.length).toBe(6);
        for (const url of uris) {
          const bytes = await (await fetch(url)).arrayBuffer();
          expect(index.get(segmentLookupKey(url)!)?.sha256, url).toBe(sha256(bytes));
        }
      }
      now += 37_000; // past a loop boundary (30 segments x 2 s) on the second step
    }
  });

  it('LIVE without a VOD manifest: 404', async () => {
    const response = await fetch(`${origin.url}/live/nope/shoal-manifest.json`);
    expect(response.status).toBe(404);
  });
});
