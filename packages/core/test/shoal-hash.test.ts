import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_ROOT } from '@shoal/test-kit';
import { buildManifest, HashCache, watchManifest } from '../src/cli/hash-manifest.js';
import { fileSource, type StreamSource } from '../src/cli/stream-source.js';
import { main } from '../src/cli/shoal-hash.js';
import { parseManifest, type SegmentManifest } from '../src/integrity/index.js';

const MEDIA = DEFAULT_MEDIA_ROOT;
const temps: string[] = [];
afterEach(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoal-hash-'));
  temps.push(dir);
  return dir;
}

function run(argv: string[], signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), signal });
  return code.then((c) => ({ code: c, out: out.join(''), err: err.join('') }));
}

const withoutDate = (m: SegmentManifest) => ({ ...m, generated: undefined });
const read = (file: string) => {
  const parsed = parseManifest(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.manifest;
};

describe('shoal-hash', () => {
  it('hashes every segment of every rendition; the committed sample manifests are current', async () => {
    for (const stream of ['sample', 'sample-aes', 'sample-byterange']) {
      const out = path.join(tempDir(), 'm.json');
      const result = await run([path.join(MEDIA, stream), '-o', out, '-q']);
      expect(result).toMatchObject({ code: 0, err: '' });
      expect(withoutDate(read(out))).toEqual(withoutDate(read(path.join(MEDIA, stream, 'shoal-manifest.json'))));
    }
    const manifest = read(path.join(MEDIA, 'sample', 'shoal-manifest.json'));
    expect(manifest.renditions.map((r) => r.playlist)).toEqual(['v0/index.m3u8', 'v1/index.m3u8']);
    const first = manifest.renditions[0]!.segments[0]!;
    const bytes = readFileSync(path.join(MEDIA, 'sample', 'v0', first.uri));
    expect(first).toEqual({ uri: 'seg_00000.m4s', seq: 0, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('--check passes on a current manifest and fails, naming the segment, on a stale one', async () => {
    const dir = tempDir();
    cpSync(path.join(MEDIA, 'sample-byterange'), dir, { recursive: true });
    expect((await run([dir, '--check', path.join(dir, 'shoal-manifest.json')])).code).toBe(0);
    const media = path.join(dir, 'v0', 'media.mp4');
    const bytes = readFileSync(media);
    bytes[2000]! ^= 0xff; // inside the first media segment (the init section is 1368 bytes)
    writeFileSync(media, bytes);
    const result = await run([dir, '--check', path.join(dir, 'shoal-manifest.json')]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/differs: .*media\.mp4#1368-68679/);
    expect(result.out).toMatch(/^5\/6 segments match/);
  });

  it('reads a stream over HTTP, and writes absolute playlist URLs with --base', async () => {
    const calls: string[] = [];
    const source: StreamSource = {
      readText: async (url) => (calls.push(url.href), fileSource.readText(toFile(url))),
      readBytes: async (url, range) => (calls.push(url.href), fileSource.readBytes(toFile(url), range)),
      version: async () => undefined,
    };
    const toFile = (url: URL) => pathToFileURL(path.join(MEDIA, url.pathname.replace(/^\/vod\//, '')));
    const manifest = await buildManifest(new URL('https://cdn.test/vod/sample/master.m3u8'), {
      source,
      base: 'https://cdn.test/vod/sample/',
    });
    expect(manifest.renditions.map((r) => r.playlist)).toEqual([
      'https://cdn.test/vod/sample/v0/index.m3u8',
      'https://cdn.test/vod/sample/v1/index.m3u8',
    ]);
    expect(manifest.renditions[1]!.segments).toEqual(read(path.join(MEDIA, 'sample', 'shoal-manifest.json')).renditions[1]!.segments);
    expect(calls).toContain('https://cdn.test/vod/sample/v1/seg_00029.m4s');
  });

  it('--watch keeps a live manifest current as the packager adds segments, hashing each segment once', async () => {
    const dir = tempDir();
    const segment = (n: number) => `seg_${n}.m4s`;
    const write = (first: number, last: number) => {
      for (let n = first; n <= last; n++)
        if (!existsSync(path.join(dir, segment(n)))) writeFileSync(path.join(dir, segment(n)), `segment ${n} `.repeat(100));
      const lines = ['#EXTM3U', '#EXT-X-TARGETDURATION:2', `#EXT-X-MEDIA-SEQUENCE:${first}`];
      for (let n = first; n <= last; n++) lines.push('#EXTINF:2,', segment(n));
      writeFileSync(path.join(dir, 'index.m3u8'), lines.join('\n') + '\n');
    };
    write(0, 2);
    let reads = 0;
    const source: StreamSource = { ...fileSource, readBytes: (url, range) => (reads++, fileSource.readBytes(url, range)) };
    const seen: SegmentManifest[] = [];
    const controller = new AbortController();
    await watchManifest(pathToFileURL(path.join(dir, 'index.m3u8')), {
      source,
      cache: new HashCache(),
      intervalMs: 100,
      keepExpired: 1,
      signal: controller.signal,
      maxRounds: 50,
      onManifest: async (manifest) => {
        seen.push(manifest);
        if (seen.length === 1) write(1, 4); // segment 0 leaves the window, 3 and 4 arrive
        if (seen.length === 2) write(3, 5);
        if (seen.length === 3) controller.abort();
      },
    });
    const seqs = seen.map((m) => m.renditions[0]!.segments.map((s) => s.seq));
    expect(seqs).toEqual([
      [0, 1, 2],
      [0, 1, 2, 3, 4], // 0 kept (--keep 1) after leaving the playlist
      [2, 3, 4, 5],
    ]);
    expect(seen.every((m) => m.live)).toBe(true);
    expect(reads).toBe(6); // segments 0..5, each hashed once (a rewritten file would be hashed again)
  });

  it('the CLI --watch writes the manifest atomically and stops on its signal', async () => {
    const dir = tempDir();
    cpSync(path.join(MEDIA, 'sample-aes'), dir, { recursive: true });
    rmSync(path.join(dir, 'shoal-manifest.json'));
    const controller = new AbortController();
    const running = run([dir, '--watch', '--interval', '100', '-q'], controller.signal);
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        if (read(path.join(dir, 'shoal-manifest.json')).renditions[0]!.segments.length === 6) break;
      } catch {
        // not written yet
      }
    }
    controller.abort();
    expect((await running).code).toBe(0);
    expect(read(path.join(dir, 'shoal-manifest.json')).live).toBe(false); // VOD: the playlist has ENDLIST
  });

  it('usage errors exit 2 with a message naming the problem; missing input exits 1', async () => {
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringMatching(/expected one stream/) });
    expect(await run(['x', '--interval', '5'])).toMatchObject({
      code: 2,
      err: 'shoal-hash: --interval must be an integer from 100 to 3600000, got 5\n',
    });
    expect(await run(['x', '--keep', 'all'])).toMatchObject({
      code: 2,
      err: 'shoal-hash: --keep must be an integer from 0 to 100000, got "all"\n',
    });
    expect(await run(['x', '--base', 'ftp://x'])).toMatchObject({ code: 2, err: expect.stringMatching(/--base must be an http/) });
    expect(await run(['x', '--nope'])).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown option/) });
    expect(await run([path.join(tempDir(), 'missing')])).toMatchObject({ code: 1, err: expect.stringMatching(/no such file or folder/) });
    expect((await run(['--help'])).out).toMatch(/^Usage: shoal-hash <stream>/);
    expect((await run(['--help'])).out).toMatch(/--keep <n> .* \(default 20\)/);
  });
});
