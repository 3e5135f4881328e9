import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Origin, startOrigin } from '../src/origin/index.js';

const MEDIA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../media');

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with the path sent exactly as given (fetch would normalise dot segments). */
function raw(port: number, rawPath: string, method = 'GET', headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let origin: Origin;
const seg0 = path.join(MEDIA, 'sample/v0/seg_00000.m4s');
const seg0Bytes = readFileSync(seg0);

beforeAll(async () => {
  origin = await startOrigin({ root: MEDIA });
});
afterAll(async () => {
  await origin.close();
});

describe('static VOD files', () => {
  it('serves whole files with content types and Accept-Ranges', async () => {
    const cases: Array<[string, string, string]> = [
      ['sample/master.m3u8', 'application/vnd.apple.mpegurl', 'sample/master.m3u8'],
      ['sample/v0/index.m3u8', 'application/vnd.apple.mpegurl', 'sample/v0/index.m3u8'],
      ['sample/v0/init.mp4', 'video/mp4', 'sample/v0/init.mp4'],
      ['sample/v1/seg_00029.m4s', 'video/mp4', 'sample/v1/seg_00029.m4s'],
      ['sample-aes/v0/enc.key', 'application/octet-stream', 'sample-aes/v0/enc.key'],
      ['sample-byterange/v0/media.mp4', 'video/mp4', 'sample-byterange/v0/media.mp4'],
    ];
    for (const [p, type, file] of cases) {
      const res = await fetch(`${origin.url}/vod/${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(readFileSync(path.join(MEDIA, file))), p).toBe(true);
      expect(res.headers.get('content-length')).toBe(String(body.length));
    }
  });

  it('answers 404 for missing files, directories and unknown routes', async () => {
    for (const p of ['/vod/sample/v0/nope.m4s', '/vod/sample/v0', '/vod/nostream/master.m3u8', '/vod/sample', '/elsewhere']) {
      const res = await fetch(`${origin.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it('serves single byte ranges with 206 and Content-Range', async () => {
    const size = seg0Bytes.length;
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, size - 1],
      ['bytes=-500', size - 500, size - 1],
      [`bytes=${size - 10}-${size + 1000}`, size - 10, size - 1],
      [`bytes=${size - 1}-${size - 1}`, size - 1, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(`${origin.url}/vod/sample/v0/seg_00000.m4s`, { headers: { Range: range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers.get('content-length')).toBe(String(end - start + 1));
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(seg0Bytes.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it('answers 416 for unsatisfiable ranges and ignores malformed or multiple ranges', async () => {
    const size = seg0Bytes.length;
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 10}`, 'bytes=-0']) {
      const res = await fetch(`${origin.url}/vod/sample/v0/seg_00000.m4s`, { headers: { Range: range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    }
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=9-3', 'bytes=x-']) {
      const res = await fetch(`${origin.url}/vod/sample/v0/seg_00000.m4s`, { headers: { Range: range } });
      expect(res.status, range).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(size);
    }
  });

  it('answers HEAD with headers only', async () => {
    const res = await raw(origin.port, '/vod/sample/v0/seg_00000.m4s', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(seg0Bytes.length));
    expect(res.body.length).toBe(0);
    const ranged = await raw(origin.port, '/vod/sample/v0/seg_00000.m4s', 'HEAD', { Range: 'bytes=10-19' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-length']).toBe('10');
    expect(ranged.headers['content-range']).toBe(`bytes 10-19/${seg0Bytes.length}`);
  });

  it('rejects other methods on media routes', async () => {
    const res = await fetch(`${origin.url}/vod/sample/master.m3u8`, { method: 'PUT', body: 'x' });
    expect(res.status).toBe(405);
  });
});

describe('CORS', () => {
  it('sets CORS headers on every response', async () => {
    for (const p of ['/vod/sample/master.m3u8', '/live/sample/v0/index.m3u8', '/vod/missing', '/stats']) {
      const res = await fetch(`${origin.url}${p}`, { headers: { Origin: 'http://example.test', Range: 'bytes=0-1' } });
      await res.arrayBuffer();
      expect(res.headers.get('access-control-allow-origin'), p).toBe('*');
      const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
      expect(exposed).toContain('content-length');
      expect(exposed).toContain('content-range');
    }
  });

  it('answers the preflight allowing Range', async () => {
    const res = await fetch(`${origin.url}/vod/sample/v0/seg_00000.m4s`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://example.test',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect((res.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain('range');
  });
});

describe('path traversal', () => {
  const attempts = [
    '/vod/../package.json',
    '/vod/sample/../../package.json',
    '/vod/sample/../../../package.json',
    '/vod/%2e%2e/package.json',
    '/vod/sample/%2e%2e/%2e%2e/package.json',
    '/vod/sample/..%2f..%2fpackage.json',
    '/vod/sample/v0/%2E%2E%2F%2E%2E%2F%2E%2E%2Fpackage.json',
    '/vod/sample/..%5c..%5cpackage.json',
    '/vod/..%2fmain/package.json',
    '/vod/sample/%00/master.m3u8',
    '/live/../package.json',
    '/live/sample/%2e%2e%2f%2e%2e%2fpackage.json',
    '/vod//etc/passwd',
    '/vod/sample//etc/passwd',
  ];
  it.each(attempts)('refuses %s', async (p) => {
    const res = await raw(origin.port, p);
    expect([400, 403, 404]).toContain(res.status);
    expect(res.body.toString()).not.toContain('"workspaces"');
    expect(res.body.toString()).not.toContain('root:');
  });

  it('refuses symlinks that leave the root', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-origin-'));
    try {
      const outside = path.join(dir, 'outside');
      const root = path.join(dir, 'root');
      mkdirSync(path.join(root, 's'), { recursive: true });
      mkdirSync(outside);
      writeFileSync(path.join(outside, 'secret.txt'), 'secret');
      writeFileSync(path.join(root, 's', 'ok.txt'), 'ok');
      symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 's', 'link.txt'));
      const o = await startOrigin({ root });
      try {
        expect((await raw(o.port, '/vod/s/ok.txt')).body.toString()).toBe('ok');
        expect((await raw(o.port, '/vod/s/link.txt')).status).toBe(404);
      } finally {
        await o.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lifecycle', () => {
  it('listens on an ephemeral port on 127.0.0.1 and closes', async () => {
    const o = await startOrigin({ root: MEDIA, port: 0 });
    expect(o.url).toBe(`http://127.0.0.1:${o.port}`);
    expect(o.port).toBeGreaterThan(0);
    expect(statSync(MEDIA).isDirectory()).toBe(true);
    await o.close();
    await o.close(); // idempotent
    await expect(fetch(`${o.url}/stats`)).rejects.toThrow();
  });
});
