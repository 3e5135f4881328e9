import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Origin, type OriginStats, startOrigin } from '../src/origin/index.js';

const MEDIA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../media');
const size = (rel: string): number => statSync(path.join(MEDIA, rel)).size;

let origin: Origin;
let now = 1_700_000_000_000;

beforeAll(async () => {
  origin = await startOrigin({ root: MEDIA, clock: () => now });
});
afterAll(async () => {
  await origin.close();
});
beforeEach(() => {
  origin.resetStats();
});

async function get(p: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const res = await fetch(`${origin.url}${p}`, { headers });
  return Buffer.from(await res.arrayBuffer());
}

describe('byte and request counting', () => {
  it('counts exactly the file sizes, by kind and by path', async () => {
    const files = [
      'sample/master.m3u8',
      'sample/v0/index.m3u8',
      'sample/v0/init.mp4',
      'sample/v0/seg_00000.m4s',
      'sample/v0/seg_00001.m4s',
      'sample/v1/seg_00007.m4s',
      'sample-aes/v0/enc.key',
    ];
    for (const f of files) await get(`/vod/${f}`);
    await get('/vod/sample/v0/seg_00001.m4s'); // twice
    const s = origin.stats();
    const total = files.reduce((a, f) => a + size(f), 0) + size('sample/v0/seg_00001.m4s');
    expect(s.requests).toBe(files.length + 1);
    expect(s.bytes).toBe(total);
    expect(s.byKind.playlist).toEqual({ requests: 2, bytes: size('sample/master.m3u8') + size('sample/v0/index.m3u8') });
    expect(s.byKind.init).toEqual({ requests: 1, bytes: size('sample/v0/init.mp4') });
    expect(s.byKind.key).toEqual({ requests: 1, bytes: 16 });
    expect(s.byKind.segment.requests).toBe(4);
    expect(s.byKind.segment.bytes).toBe(
      size('sample/v0/seg_00000.m4s') + 2 * size('sample/v0/seg_00001.m4s') + size('sample/v1/seg_00007.m4s'),
    );
    expect(s.byKind.other).toEqual({ requests: 0, bytes: 0 });
    expect(s.byPath['/vod/sample/v0/seg_00001.m4s']).toEqual({ requests: 2, bytes: 2 * size('sample/v0/seg_00001.m4s') });
    expect(Object.keys(s.byPath)).toHaveLength(files.length);
  });

  it('counts only the bytes of a range, none for HEAD, 416 or preflight', async () => {
    await get('/vod/sample/v0/seg_00002.m4s', { Range: 'bytes=100-1099' });
    await get('/vod/sample/v0/seg_00002.m4s', { Range: 'bytes=99999999-' });
    await fetch(`${origin.url}/vod/sample/v0/seg_00002.m4s`, { method: 'HEAD' });
    await fetch(`${origin.url}/vod/sample/v0/seg_00002.m4s`, { method: 'OPTIONS' });
    const s = origin.stats();
    expect(s.requests).toBe(3);
    expect(s.bytes).toBe(1000);
    expect(s.byPath['/vod/sample/v0/seg_00002.m4s']).toEqual({ requests: 3, bytes: 1000 });
  });

  it('classifies byte ranges of single-file streams: init section vs segments', async () => {
    const pl = (await get('/vod/sample-byterange/v0/index.m3u8')).toString();
    const map = /BYTERANGE="(\d+)@(\d+)"/.exec(pl)!;
    const seg = /#EXT-X-BYTERANGE:(\d+)@(\d+)/.exec(pl)!;
    const mapLen = Number(map[1]);
    const segLen = Number(seg[1]);
    const segOff = Number(seg[2]);
    await get('/vod/sample-byterange/v0/media.mp4', { Range: `bytes=0-${mapLen - 1}` });
    await get('/vod/sample-byterange/v0/media.mp4', { Range: `bytes=${segOff}-${segOff + segLen - 1}` });
    const s = origin.stats();
    expect(s.byKind.init).toEqual({ requests: 1, bytes: mapLen });
    expect(s.byKind.segment).toEqual({ requests: 1, bytes: segLen });
  });

  it('counts live playlists and segments by their body size', async () => {
    const pl = await get('/live/sample/v0/index.m3u8');
    const seg = await get('/live/sample/v0/seg-3.m4s');
    const s = origin.stats();
    expect(seg.equals(readFileSync(path.join(MEDIA, 'sample/v0/seg_00003.m4s')))).toBe(true);
    expect(s.byKind.playlist).toEqual({ requests: 1, bytes: pl.length });
    expect(s.byKind.segment).toEqual({ requests: 1, bytes: seg.length });
    expect(s.bytes).toBe(pl.length + seg.length);
  });

  it('counts error bodies and 404s as requests of their kind', async () => {
    const body = await get('/vod/sample/v0/seg_99999.m4s');
    const s = origin.stats();
    expect(s.byKind.segment).toEqual({ requests: 1, bytes: body.length });
  });

  it('resets, also over HTTP, and reports since from the clock', async () => {
    await get('/vod/sample/v0/init.mp4');
    now += 5000;
    const before = (await (await fetch(`${origin.url}/stats`)).json()) as OriginStats;
    expect(before.requests).toBe(1);
    expect(before.bytes).toBe(size('sample/v0/init.mp4'));
    const r = await fetch(`${origin.url}/stats/reset`, { method: 'POST' });
    expect(r.status).toBe(200);
    await r.arrayBuffer();
    const after = origin.stats();
    expect(after.requests).toBe(0);
    expect(after.bytes).toBe(0);
    expect(after.byPath).toEqual({});
    expect(after.since).toBe(now);
    expect((await fetch(`${origin.url}/stats/reset`)).status).toBe(405); // GET is not a reset
  });
});

describe('a request aborted midway', () => {
  it('counts what was written before the client went away, not the whole file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-origin-'));
    const big = 64 * 1024 * 1024;
    mkdirSync(path.join(dir, 's'));
    writeFileSync(path.join(dir, 's', 'big.m4s'), Buffer.alloc(big, 7));
    const o = await startOrigin({ root: dir });
    try {
      const received = await new Promise<number>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: o.port, path: '/vod/s/big.m4s', agent: false }, (res) => {
          let got = 0;
          res.on('data', (c: Buffer) => {
            got += c.length;
            if (got >= 256 * 1024) {
              res.pause();
              req.destroy();
              resolve(got);
            }
          });
        });
        req.on('error', (e) => (e.message.includes('socket hang up') || e.message.includes('aborted') ? undefined : reject(e)));
      });
      // wait for the server to notice the closed socket and stop writing
      let last = -1;
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 40));
        const b = o.stats().bytes;
        if (b === last) break;
        last = b;
      }
      const s = o.stats();
      expect(s.requests).toBe(1);
      expect(s.bytes).toBeGreaterThanOrEqual(received);
      expect(s.bytes).toBeLessThan(big);
    } finally {
      await o.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
