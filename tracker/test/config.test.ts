// Config resolution, CLI help, rate limiting and join tokens (pure units).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, envName, FIELD_NAMES, flagName } from '../src/config/fields.js';
import { ConfigError, resolveConfig } from '../src/config/resolve.js';
import { cliSources, helpText } from '../src/cli.js';
import { take, type Bucket } from '../src/swarm/rate-limit.js';
import { mintJoinToken, verifyJoinToken } from '../src/auth/tokens.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has limits on by default', () => {
    const c = resolveConfig();
    expect(c).toEqual(defaultConfig());
    expect(c.maxMessageBytes).toBe(65536);
    expect(c.maxOffersPerAnnounce).toBeGreaterThan(0);
    expect(c.maxPeersReturned).toBeGreaterThan(0);
    expect(c.maxPeersPerSwarm).toBeGreaterThan(0);
    expect(c.maxConnectionsPerIp).toBeGreaterThan(0);
    expect(c.messagesPerSecond).toBeGreaterThan(0);
    expect(c.intervalSec).toBe(120);
  });

  it('layers file < env < cli < overrides', () => {
    const c = resolveConfig({
      file: { path: 'f.json', value: { port: 1, intervalSec: 100, allowedOrigins: ['https://a.example'] } },
      env: { SHOAL_TRACKER_PORT: '2', SHOAL_TRACKER_TRUST_PROXY: 'yes', SHOAL_TRACKER_TOKEN_SECRETS: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb' },
      cli: { port: '3' },
      overrides: { logLevel: 'silent' },
    });
    expect([c.port, c.intervalSec, c.trustProxy, c.tokenSecrets, c.allowedOrigins, c.logLevel]).toEqual([
      3,
      100,
      true,
      ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'],
      ['https://a.example'],
      'silent',
    ]);
  });

  it('names the field and the source of a bad value', () => {
    expect(configError(() => resolveConfig({ cli: { maxMessageBytes: 'abc' } })).message).toBe(
      'Invalid config: maxMessageBytes: must be an integer (got "abc" from --max-message-bytes)',
    );
    expect(configError(() => resolveConfig({ env: { SHOAL_TRACKER_PORT: '70000' } })).message).toMatch(
      /^Invalid config: port: must be between 0 and 65535 .*env SHOAL_TRACKER_PORT/,
    );
    expect(configError(() => resolveConfig({ file: { path: 't.json', value: { maxPeersPerSwarm: '5' } } })).message).toMatch(
      /maxPeersPerSwarm: must be an integer .*t\.json/,
    );
    expect(configError(() => resolveConfig({ file: { path: 't.json', value: { maxMesageBytes: 5 } } })).field).toBe('maxMesageBytes');
    expect(configError(() => resolveConfig({ overrides: { logLevel: 'loud' as never } })).field).toBe('logLevel');
    expect(configError(() => resolveConfig({ overrides: { intervalSec: 30, minIntervalSec: 60 } })).field).toBe('minIntervalSec');
    expect(configError(() => resolveConfig({ overrides: { tlsCert: '/x.pem' } })).field).toBe('tlsKey');
    expect(configError(() => resolveConfig({ overrides: { allowedOrigins: ['https://a.example/'] } })).field).toBe('allowedOrigins');
    expect(configError(() => resolveConfig({ overrides: { tokenSecrets: ['short'] } })).field).toBe('tokenSecrets');
    expect(configError(() => resolveConfig({ env: { SHOAL_TRACKER_TRUST_PROXY: 'maybe' } })).field).toBe('trustProxy');
  });

  it('--help lists every option with its env var', () => {
    const help = helpText();
    for (const name of FIELD_NAMES) {
      expect(help).toContain(`--${flagName(name)} `);
      expect(help).toContain(envName(name));
    }
    expect(help).toContain('--config');
  });

  it('the README documents every field', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of FIELD_NAMES) expect(readme).toContain(`| \`${name}\` | \`--${flagName(name)}\` | \`${envName(name)}\``);
  });

  it('parses CLI flags, --no-flags and a config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-cfg-'));
    const path = join(dir, 'tracker.json');
    writeFileSync(path, JSON.stringify({ maxPeersPerSwarm: 77, trustProxy: true }));
    const { sources } = cliSources({ argv: ['--port', '9000', '--config', path, '--no-trust-proxy'], env: {} });
    const c = resolveConfig(sources);
    expect([c.port, c.maxPeersPerSwarm, c.trustProxy]).toEqual([9000, 77, false]);
    expect(cliSources({ argv: ['--help'], env: {} }).help).toBe(true);
    expect(configError(() => cliSources({ argv: ['--bogus'], env: {} })).field).toBe('(arguments)');
    writeFileSync(path, '{ nope');
    expect(configError(() => cliSources({ argv: [], env: { SHOAL_TRACKER_CONFIG: path } })).message).toMatch(/is not valid JSON/);
  });
});

describe('rate limit', () => {
  it('allows a burst, refuses past it, refills over time and disconnects a flooder', () => {
    const b: Bucket = { tokens: 3000, tokensAt: 0 };
    expect([take(b, 1, 3, 0), take(b, 1, 3, 0), take(b, 1, 3, 0)]).toEqual(['ok', 'ok', 'ok']);
    expect(take(b, 1, 3, 0)).toBe('refuse');
    expect(take(b, 1, 3, 2000)).toBe('ok'); // refilled 2 tokens, owed 1
    const verdicts = Array.from({ length: 5 }, () => take(b, 1, 3, 2000));
    expect(verdicts).toContain('refuse');
    expect(verdicts.at(-1)).toBe('disconnect');
  });
});

describe('join tokens', () => {
  const secret = 'a-long-enough-secret';
  const infoHash = 'ab'.repeat(20);
  const exp = 2_000_000_000;
  it('verifies a minted token for its swarm until it expires', () => {
    const t = mintJoinToken({ secret, infoHash, expiresAt: exp });
    expect(t).toMatch(/^v1\.[0-9a-f]{40}\.2000000000\.[A-Za-z0-9_-]{43}$/);
    expect(verifyJoinToken(t, [secret], infoHash, exp - 1)).toBe('ok');
    expect(verifyJoinToken(t, ['other-secret-xxxxxxx', secret], infoHash, exp - 1)).toBe('ok');
    expect(verifyJoinToken(t, [secret], infoHash, exp)).toBe('expired');
    expect(verifyJoinToken(t, [secret], 'cd'.repeat(20), 0)).toBe('wrong_swarm');
    expect(verifyJoinToken(t, ['other-secret-xxxxxxx'], infoHash, 0)).toBe('bad_signature');
    expect(verifyJoinToken(t.replace('.2000000000.', '.2000000001.'), [secret], infoHash, 0)).toBe('bad_signature');
    expect(verifyJoinToken('garbage', [secret], infoHash, 0)).toBe('malformed');
    expect(() => mintJoinToken({ secret, infoHash: 'XYZ', expiresAt: exp })).toThrow();
  });
});
