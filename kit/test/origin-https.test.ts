import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Origin, startOrigin } from '../src/origin/index.js';
import { makeSelfSignedCert, type SelfSignedCert } from '../src/origin/self-signed.js';

const MEDIA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../media');

function get(url: string, ca: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

let cert: SelfSignedCert;
let origin: Origin;

beforeAll(async () => {
  cert = makeSelfSignedCert();
  origin = await startOrigin({ root: MEDIA, tls: { key: cert.key, cert: cert.cert } });
});
afterAll(async () => {
  await origin.close();
});

describe('HTTPS origin (--https)', () => {
  it("serves the same bytes over TLS to a client that trusts the run's certificate, and counts them", async () => {
    expect(origin.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const seg = await get(`${origin.url}/vod/sample/v0/seg_00000.m4s`, cert.cert);
    expect(seg.status).toBe(200);
    expect(seg.body.equals(readFileSync(path.join(MEDIA, 'sample/v0/seg_00000.m4s')))).toBe(true);
    expect(origin.stats().byKind.segment).toEqual({ requests: 1, bytes: seg.body.length });
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(get(`${origin.url}/vod/sample/master.m3u8`, '')).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it('gives Chromium the SPKI hash openssl computes for the certificate', () => {
    // The recipe Chromium documents for --ignore-certificate-errors-spki-list.
    const expected = execSync('openssl x509 -noout -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64', {
      input: cert.cert,
    })
      .toString()
      .trim();
    expect(cert.spkiSha256).toBe(expected);
  });
});
