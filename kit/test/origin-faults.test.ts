import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Origin, startOrigin } from '../src/origin/index.js';

const MEDIA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../media');
const SEG = '/vod/sample/v0/seg_00004.m4s';
const segBytes = readFileSync(path.join(MEDIA, 'sample/v0/seg_00004.m4s'));

interface RawResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** the body ended normally (as many bytes as Content-Length, then end) */
  complete: boolean;
}

function rawGet(port: number, p: string, headers: Record<string, string> = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let complete = false;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (complete = res.complete));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete }));
    });
    req.on('error', reject);
  });
}

let origin: Origin;

beforeAll(async () => {
  origin = await startOrigin({ root: MEDIA });
});
afterAll(async () => {
  await origin.close();
});
beforeEach(() => {
  origin.setFaults([]);
  origin.resetStats();
});

async function status(p: string): Promise<number> {
  const res = await fetch(`${origin.url}${p}`);
  await res.arrayBuffer();
  return res.status;
}

describe('fault injection', () => {
  it('status: answers the given status on matching paths only, with CORS', async () => {
    origin.setFaults([
      { match: 'seg_00004', status: 404 },
      { match: '/v1/', status: 500 },
    ]);
    const res = await fetch(`${origin.url}${SEG}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    await res.arrayBuffer();
    expect(await status(SEG)).toBe(404); // unlimited by default
    expect(await status('/vod/sample/v1/seg_00000.m4s')).toBe(500);
    expect(await status('/live/sample/v1/index.m3u8')).toBe(500);
    expect(await status('/vod/sample/v0/seg_00005.m4s')).toBe(200);
    expect(await status('/stats')).toBe(200); // control endpoints are never faulted
  });

  it('times: applies to the first N matching requests only', async () => {
    origin.setFaults([{ match: 'seg_0000', status: 503, times: 2 }]);
    expect(await status('/vod/sample/v0/seg_00001.m4s')).toBe(503);
    expect(await status('/vod/sample/v0/init.mp4')).toBe(200); // no match, no use
    expect(await status('/vod/sample/v0/seg_00002.m4s')).toBe(503);
    expect(await status('/vod/sample/v0/seg_00003.m4s')).toBe(200);
    expect(await status('/vod/sample/v0/seg_00001.m4s')).toBe(200);
  });

  it('times: later rules take over once earlier ones are used up', async () => {
    origin.setFaults([
      { match: 'seg_', status: 500, times: 1 },
      { match: 'seg_', status: 404, times: 1 },
    ]);
    expect(await status(SEG)).toBe(500);
    expect(await status(SEG)).toBe(404);
    expect(await status(SEG)).toBe(200);
  });

  it('match: a RegExp source works as well as a substring', async () => {
    origin.setFaults([{ match: '^/vod/sample/v0/seg_0000[12]\\.m4s$', status: 410 }]);
    expect(await status('/vod/sample/v0/seg_00001.m4s')).toBe(410);
    expect(await status('/vod/sample/v0/seg_00002.m4s')).toBe(410);
    expect(await status('/vod/sample/v0/seg_00003.m4s')).toBe(200);
    expect(await status('/vod/sample/v1/seg_00001.m4s')).toBe(200);
    origin.setFaults([{ match: /seg-\d+\.m4s$/, status: 500 }]);
    expect(await status('/live/sample/v0/seg-2.m4s')).toBe(500);
    expect(await status('/live/sample/v0/index.m3u8')).toBe(200);
  });

  it('delayMs: holds the headers back, then serves normally; other paths are not held', async () => {
    origin.setFaults([{ match: 'seg_00004', delayMs: 300 }]);
    const t = performance.now();
    let headersAt = 0;
    const delayed = fetch(`${origin.url}${SEG}`).then((res) => {
      headersAt = performance.now();
      return res;
    });
    expect(await status('/vod/sample/v0/seg_00005.m4s')).toBe(200);
    const otherDoneAt = performance.now();
    const res = await delayed;
    const body = Buffer.from(await res.arrayBuffer());
    expect(headersAt - t).toBeGreaterThanOrEqual(290);
    expect(otherDoneAt).toBeLessThan(headersAt);
    expect(res.status).toBe(200);
    expect(body.equals(segBytes)).toBe(true);
  });

  it('delayMs: a client giving up during the delay does not disturb the origin', async () => {
    origin.setFaults([{ match: 'seg_00004', delayMs: 1000 }]);
    await expect(fetch(`${origin.url}${SEG}`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(await status('/vod/sample/v0/seg_00005.m4s')).toBe(200);
    const s = origin.stats();
    expect(s.byPath[SEG]).toEqual({ requests: 1, bytes: 0 });
  });

  it('truncateTo: sends exactly that many body bytes, then drops the connection', async () => {
    origin.setFaults([{ match: 'seg_00004', truncateTo: 1000 }]);
    const r = await rawGet(origin.port, SEG);
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String(segBytes.length));
    expect(r.complete).toBe(false);
    expect(r.body.length).toBe(1000);
    expect(r.body.equals(segBytes.subarray(0, 1000))).toBe(true);
    expect(origin.stats().bytes).toBe(1000);
    // fetch sees a failed body
    await expect(fetch(`${origin.url}${SEG}`).then((res) => res.arrayBuffer())).rejects.toThrow();
  });

  it('truncateTo: works on ranges and with zero bytes', async () => {
    origin.setFaults([
      { match: 'seg_00004', truncateTo: 10, times: 1 },
      { match: 'seg_00004', truncateTo: 0 },
    ]);
    const r = await rawGet(origin.port, SEG, { Range: 'bytes=100-199' });
    expect(r.status).toBe(206);
    expect(r.headers['content-length']).toBe('100');
    expect(r.body.equals(segBytes.subarray(100, 110))).toBe(true);
    expect(r.complete).toBe(false);
    const z = await rawGet(origin.port, SEG);
    expect(z.status).toBe(200);
    expect(z.body.length).toBe(0);
    expect(z.complete).toBe(false);
    expect(origin.stats().bytes).toBe(10);
  });

  it('truncateTo larger than the body: the response is complete', async () => {
    origin.setFaults([{ match: 'seg_00004', truncateTo: segBytes.length + 1 }]);
    const r = await rawGet(origin.port, SEG);
    expect(r.complete).toBe(true);
    expect(r.body.equals(segBytes)).toBe(true);
  });

  it('wrongLength: announces more than the body, sends the body, drops the connection', async () => {
    origin.setFaults([{ match: 'seg_00004', wrongLength: true }]);
    const r = await rawGet(origin.port, SEG);
    expect(r.status).toBe(200);
    expect(Number(r.headers['content-length'])).toBeGreaterThan(segBytes.length);
    expect(r.body.equals(segBytes)).toBe(true);
    expect(r.complete).toBe(false);
    expect(origin.stats().bytes).toBe(segBytes.length);
    await expect(fetch(`${origin.url}${SEG}`).then((res) => res.arrayBuffer())).rejects.toThrow();
  });

  it('combines delay with a status', async () => {
    origin.setFaults([{ match: 'index.m3u8', delayMs: 200, status: 502, times: 1 }]);
    const t = performance.now();
    expect(await status('/live/sample/v0/index.m3u8')).toBe(502);
    expect(performance.now() - t).toBeGreaterThanOrEqual(190);
    expect(await status('/live/sample/v0/index.m3u8')).toBe(200);
  });

  it('is settable, listable and clearable over HTTP', async () => {
    const post = async (body: string): Promise<Response> =>
      fetch(`${origin.url}/faults`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    const ok = await post(JSON.stringify([{ match: 'seg_00004', status: 500, times: 3 }]));
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    expect(await status(SEG)).toBe(500);
    const list = (await (await fetch(`${origin.url}/faults`)).json()) as Array<{ match: string; used: number }>;
    expect(list).toEqual([{ match: 'seg_00004', status: 500, times: 3, used: 1 }]);
    const cleared = await post('[]');
    expect(cleared.status).toBe(200);
    await cleared.arrayBuffer();
    expect(await status(SEG)).toBe(200);
    for (const bad of ['{', '{"match":"x"}', '[{"match":5}]', '[{"match":"x","status":"500"}]', '[{"match":"x","oops":1}]']) {
      const res = await post(bad);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBeTruthy();
    }
    expect(await status(SEG)).toBe(200); // a rejected update leaves the table as it was
  });

  it('setFaults rejects invalid rules', () => {
    expect(() => origin.setFaults([{ match: 'x', status: 99 }])).toThrow();
    expect(() => origin.setFaults([{ match: 'x', truncateTo: -1 }])).toThrow();
  });
});
