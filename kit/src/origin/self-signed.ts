/**
 * A throwaway self-signed certificate for an HTTPS origin on loopback, made with the system's
 * openssl at run time (nothing secret is kept in the repo), and the SPKI hash Chromium's
 * --ignore-certificate-errors-spki-list needs to trust it.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SelfSignedCert {
  readonly key: string;
  readonly cert: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo (DER). */
  readonly spkiSha256: string;
}

/** An EC P-256 certificate for 127.0.0.1 and localhost, valid for two days. */
export function makeSelfSignedCert(): SelfSignedCert {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoal-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          keyFile,
          '-out',
          certFile,
          '-days',
          '2',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      throw new Error(`cannot make a self-signed certificate with openssl (Debian: apt-get install openssl): ${(error as Error).message}`, {
        cause: error,
      });
    }
    const cert = readFileSync(certFile, 'utf8');
    return { key: readFileSync(keyFile, 'utf8'), cert, spkiSha256: spkiSha256(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function spkiSha256(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
