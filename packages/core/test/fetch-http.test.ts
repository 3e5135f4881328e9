import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchHttpClient, HttpError } from '../src/index.js';

/** An origin that misbehaves on purpose: /slow (headers after 1.5 s), /truncated, /wrong-length, /404, /stall (body stops). */
let server: Server;
let base: string;
const BODY = Buffer.alloc(50_000, 7);

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/slow') {
      setTimeout(() => res.writeHead(200, { 'Content-Length': BODY.length }).end(BODY), 1500);
    } else if (path === '/truncated') {
      res.writeHead(200, { 'Content-Length': BODY.length });
      res.write(BODY.subarray(0, 1000), () => res.destroy());
    } else if (path === '/wrong-length') {
      res.writeHead(200, { 'Content-Length': BODY.length + 500 });
      res.write(BODY, () => res.destroy());
    } else if (path === '/stall') {
      res.writeHead(200, { 'Content-Length': BODY.length });
      res.write(BODY.subarray(0, 1000)); // and nothing more, until the client gives up
    } else if (path === '/ok') {
      res.writeHead(200, { 'Content-Length': BODY.length }).end(BODY);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function get(path: string, options: Parameters<typeof createFetchHttpClient>[0] = {}): Promise<HttpError | Uint8Array> {
  const client = createFetchHttpClient(options);
  try {
    return (await client.get({ url: `${base}${path}`, signal: new AbortController().signal })).data;
  } catch (error) {
    return error as HttpError;
  }
}

describe('fetch HTTP client against a broken origin', () => {
  it('reads a good body whole', async () => {
    expect(((await get('/ok')) as Uint8Array).length).toBe(BODY.length);
  });

  it('an error status is an HttpError with that status', async () => {
    expect(await get('/404')).toMatchObject({ name: 'HttpError', status: 404, timedOut: false });
  });

  it('a truncated body or a body shorter than its Content-Length is an error, never a short success', async () => {
    expect(await get('/truncated')).toMatchObject({ name: 'HttpError', status: 0 });
    expect(await get('/wrong-length')).toMatchObject({ name: 'HttpError' });
  });

  it('headers later than the first-byte limit, or a body that stops, is a timeout, not a hang', async () => {
    const started = Date.now();
    expect(await get('/slow', { firstByteTimeoutMs: () => 300 })).toMatchObject({
      status: 0,
      timedOut: true,
      message: expect.stringMatching(/no data for 300 ms/),
    });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(await get('/stall', { idleTimeoutMs: 300 })).toMatchObject({ status: 0, timedOut: true });
    expect(((await get('/slow', { firstByteTimeoutMs: 3000 })) as Uint8Array).length).toBe(BODY.length);
  });
});
