import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_ROOT } from '@shoal/test-kit';
import {
  indexManifest,
  ManifestVerifier,
  parseHlsPlaylist,
  parseManifest,
  segmentLookupKey,
  type HttpClient,
  type IntegrityEvent,
  type SegmentManifest,
} from '../src/index.js';
import { FakeClock, FakeOrigin } from '../src/sim/index.js';
import { segmentBytes, url } from './engine-harness.js';
import { MANIFEST_URL, manifestFor, publish, settle } from './integrity-helpers.js';

/** Counts requests per URL on top of a client. */
function counting(http: HttpClient): HttpClient & { count: (u: string) => number } {
  const counts = new Map<string, number>();
  return {
    get: (request) => {
      counts.set(request.url, (counts.get(request.url) ?? 0) + 1);
      return http.get(request);
    },
    count: (u) => counts.get(u) ?? 0,
  };
}

function setup(options: { mode?: 'auto' | 'required'; live?: boolean } = {}) {
  const clock = new FakeClock();
  const origin = new FakeOrigin(clock, 20, 10_000);
  const http = counting(origin.client());
  const events: IntegrityEvent[] = [];
  const verifier = new ManifestVerifier({
    http,
    clock,
    manifestUrl: MANIFEST_URL,
    mode: options.mode ?? 'auto',
    onEvent: (e) => events.push(e),
  });
  const seg = (seq: number) => ({ seq, bytes: segmentBytes(seq, 5000) });
  return {
    clock,
    origin,
    http,
    events,
    verifier,
    seg,
    check: (seq: number, bytes: Uint8Array) => settle(clock, verifier.verify({ url: url(seq) }, bytes)),
  };
}

describe('hash manifest format', () => {
  it('accepts the manifests committed next to the sample streams', () => {
    for (const stream of ['sample', 'sample-aes', 'sample-byterange']) {
      const text = readFileSync(path.join(DEFAULT_MEDIA_ROOT, stream, 'shoal-manifest.json'), 'utf8');
      const parsed = parseManifest(text);
      expect(parsed.ok, stream).toBe(true);
    }
  });

  it('rejects bad manifests with a message naming the field', () => {
    const good = manifestFor([{ seq: 0, bytes: new Uint8Array([1, 2, 3]) }]);
    const bad = (patch: (m: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
      patch(copy);
      const result = parseManifest(JSON.stringify(copy));
      return result.ok ? 'accepted' : result.error;
    };
    const segment = (m: Record<string, unknown>) => (m.renditions as Array<{ segments: Array<Record<string, unknown>> }>)[0]!.segments[0]!;
    expect(bad((m) => (m.format = 'x'))).toMatch(/^format must be/);
    expect(bad((m) => (m.version = 2))).toMatch(/^version must be 1/);
    expect(bad((m) => (segment(m).sha256 = 'ABC'))).toMatch(/renditions\[0\]\.segments\[0\]\.sha256 must be 64 lower-case hex/);
    expect(bad((m) => (segment(m).size = -1))).toMatch(/\.size must be a positive integer/);
    expect(bad((m) => (segment(m).byteRange = '4@0'))).toMatch(/\.size must be the byte range length/);
    expect(bad((m) => (segment(m).byteRange = 'x'))).toMatch(/\.byteRange must be a "length@offset" string/);
    expect(bad((m) => (m.renditions = {}))).toMatch(/^renditions must be an array/);
    expect(parseManifest('{"format":')).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.anything()), (value) => {
        parseManifest(value);
        parseManifest(JSON.stringify(value) ?? '');
      }),
      { numRuns: 2000 },
    );
    // Near misses: a valid manifest with one field replaced by anything.
    const base = manifestFor([{ seq: 0, bytes: new Uint8Array([1]) }]) as unknown as Record<string, unknown>;
    fc.assert(
      fc.property(fc.constantFrom('format', 'version', 'algorithm', 'live', 'renditions', 'generated'), fc.anything(), (field, value) => {
        const result = parseManifest({ ...base, [field]: value });
        if (!result.ok) expect(result.error).toMatch(new RegExp(`^(${field}|manifest|renditions)`));
      }),
      { numRuns: 1000 },
    );
  });

  it('finds a segment by the URL the player uses: relative URIs resolved, query ignored, byte ranges apart', () => {
    const manifest: SegmentManifest = {
      format: 'shoal-segment-hashes',
      version: 1,
      algorithm: 'SHA-256',
      renditions: [
        { playlist: 'v0/index.m3u8', segments: [{ uri: 'seg_1.m4s', size: 1, sha256: 'a'.repeat(64) }] },
        { playlist: 'https://cdn.test/x/v1.m3u8', segments: [{ uri: 'media.mp4', byteRange: '10@100', size: 10, sha256: 'b'.repeat(64) }] },
      ],
    };
    const index = indexManifest(manifest, 'https://origin.test/live/shoal-manifest.json?token=1');
    expect(index.get(segmentLookupKey('https://origin.test/live/v0/seg_1.m4s?token=abc#t')!)?.sha256).toBe('a'.repeat(64));
    expect(index.get(segmentLookupKey('https://cdn.test/x/media.mp4', { start: 100, end: 109 })!)?.sha256).toBe('b'.repeat(64));
    expect(index.get(segmentLookupKey('https://cdn.test/x/media.mp4', { start: 110, end: 119 })!)).toBeUndefined();
    expect(segmentLookupKey('not a url')).toBeUndefined();
  });
});

describe('playlist reading for hashing', () => {
  it('lists the media playlists of a master and the segments of a media playlist', () => {
    const master = parseHlsPlaylist(
      '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",URI="audio/en.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=1\n\nv0/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\nv1/index.m3u8\n',
    );
    expect(master).toEqual({ ok: true, playlist: { kind: 'master', playlists: ['v0/index.m3u8', 'v1/index.m3u8', 'audio/en.m3u8'] } });
    const media = parseHlsPlaylist(
      '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:7\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2,\n#EXT-X-BYTERANGE:10@5\nall.mp4\n#EXTINF:2,\n#EXT-X-BYTERANGE:20\nall.mp4\n#EXTINF:2,\nother.m4s\n#EXT-X-ENDLIST\n',
    );
    expect(media).toEqual({
      ok: true,
      playlist: {
        kind: 'media',
        mediaSequence: 7,
        endList: true,
        segments: [
          { uri: 'all.mp4', seq: 7, byteRange: { start: 5, end: 14 } },
          { uri: 'all.mp4', seq: 8, byteRange: { start: 15, end: 34 } },
          { uri: 'other.m4s', seq: 9 },
        ],
      },
    });
    expect(parseHlsPlaylist('nope').ok).toBe(false);
    expect(parseHlsPlaylist('#EXTM3U\n#EXTINF:1,\n#EXT-X-BYTERANGE:10\na.mp4\n').ok).toBe(false);
  });

  it('never throws on arbitrary text', () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '#EXTINF:1,',
        '#EXT-X-BYTERANGE:5',
        '#EXT-X-BYTERANGE:5@1',
        '#EXT-X-STREAM-INF:X=1',
        '#EXT-X-MEDIA-SEQUENCE:9',
        'a.ts',
      ),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => void parseHlsPlaylist(['#EXTM3U', ...lines].join('\n'))),
      { numRuns: 2000 },
    );
  });
});

describe('ManifestVerifier', () => {
  it('says ok for the true bytes and mismatch for altered or resized ones', async () => {
    const t = setup();
    const s = t.seg(3);
    publish(t.origin, manifestFor([s]));
    expect(await t.check(3, s.bytes)).toBe('ok');
    const flipped = s.bytes.slice();
    flipped[100]! ^= 1;
    expect(await t.check(3, flipped)).toBe('mismatch');
    expect(await t.check(3, s.bytes.subarray(0, 4000))).toBe('mismatch');
    expect(t.http.count(MANIFEST_URL)).toBe(1); // fetched once, cached
    expect(t.events).toEqual([{ type: 'manifest-loaded', url: MANIFEST_URL, segments: 1, live: false }]);
  });

  it('without a manifest (404): auto accepts peer bytes unchecked, required refuses them', async () => {
    const auto = setup();
    expect(await auto.check(1, auto.seg(1).bytes)).toBe('unknown');
    expect(auto.events[0]).toMatchObject({ type: 'manifest-missing', status: 404 });
    const required = setup({ mode: 'required' });
    expect(await required.check(1, required.seg(1).bytes)).toBe('unverifiable');
    expect(await settle(required.clock, required.verifier.load())).toBe(false);
  });

  it('a broken manifest (500, invalid JSON, too large, never answering) vouches for nothing, and is retried with backoff', async () => {
    const t = setup();
    const s = t.seg(1);
    t.origin.failWith = 500;
    expect(await t.check(1, s.bytes)).toBe('unverifiable');
    t.origin.failWith = undefined;
    publish(t.origin, '{"format": "shoal-segment-hashes", "version": 1,');
    await t.clock.advance(1500);
    expect(await t.check(1, s.bytes)).toBe('unverifiable');
    expect(t.events.map((e) => e.type)).toEqual(['manifest-error', 'manifest-error']);
    expect((t.events[1] as { message: string }).message).toMatch(/^invalid manifest: not JSON/);
    publish(t.origin, manifestFor([s]));
    expect(await t.check(1, s.bytes)).toBe('unverifiable'); // backoff: 2 s after the second failure
    await t.clock.advance(2500);
    expect(await t.check(1, s.bytes)).toBe('ok');
    expect(t.http.count(MANIFEST_URL)).toBe(3);

    const big = setup();
    big.origin.files.set(MANIFEST_URL, new Uint8Array(17 * 1024 * 1024));
    expect(await big.check(1, s.bytes)).toBe('unverifiable');
    expect(big.events[0]).toMatchObject({ type: 'manifest-error', message: expect.stringMatching(/larger than/) });

    const clock = new FakeClock();
    const hanging = new ManifestVerifier({
      clock,
      manifestUrl: MANIFEST_URL,
      http: { get: (r) => new Promise((_, reject) => r.signal.addEventListener('abort', () => reject(new Error('aborted')))) },
      fetchTimeoutMs: 5000,
    });
    expect(await settle(clock, hanging.verify({ url: url(1) }, s.bytes), 100)).toBe('unverifiable');
    expect(clock.now()).toBeLessThanOrEqual(6000);
  });

  it('live: a segment not listed yet is found on a rate-limited refetch of the manifest', async () => {
    const t = setup();
    const [s1, s2, s3] = [t.seg(1), t.seg(2), t.seg(3)];
    publish(t.origin, manifestFor([s1], true));
    expect(await t.check(1, s1.bytes)).toBe('ok');
    // The packager adds segments 2 and 3; five verifications ask for them at once.
    publish(t.origin, manifestFor([s1, s2, s3], true));
    const verdicts = Promise.all([2, 3, 2, 3, 2].map((seq) => t.verifier.verify({ url: url(seq) }, seq === 2 ? s2.bytes : s3.bytes)));
    expect(await settle(t.clock, verdicts)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(t.http.count(MANIFEST_URL)).toBe(2); // one refetch, after minRefreshMs, shared by all five
  });

  it('live: a segment the packager lists only 1.5 s after the verification began is still found', async () => {
    const t = setup();
    const [s1, s2] = [t.seg(1), t.seg(2)];
    publish(t.origin, manifestFor([s1], true));
    expect(await t.check(1, s1.bytes)).toBe('ok');
    await t.clock.advance(1000);
    const verdict = t.verifier.verify({ url: url(2) }, s2.bytes);
    await t.clock.advance(1500);
    publish(t.origin, manifestFor([s1, s2], true));
    // Waiting out minRefreshMs between refetches does not use up the refetches.
    expect(await settle(t.clock, verdict)).toBe('ok');
    expect(t.http.count(MANIFEST_URL)).toBe(4);
  });

  it('live: a segment that never appears is given up on within liveWaitMs', async () => {
    const t = setup();
    publish(t.origin, manifestFor([t.seg(1)], true));
    const started = t.clock.now();
    expect(await t.check(9, t.seg(9).bytes)).toBe('unverifiable');
    expect(t.clock.now() - started).toBeLessThanOrEqual(3000 + 200);
    expect(t.http.count(MANIFEST_URL)).toBeLessThanOrEqual(4);
  });

  it('VOD: a segment missing from the manifest costs at most one refetch per staleRefreshMs', async () => {
    const t = setup();
    publish(t.origin, manifestFor([t.seg(1)]));
    for (let i = 0; i < 10; i++) expect(await t.check(9, t.seg(9).bytes)).toBe('unverifiable');
    expect(t.http.count(MANIFEST_URL)).toBe(1);
    await t.clock.advance(30_000);
    expect(await t.check(9, t.seg(9).bytes)).toBe('unverifiable');
    expect(t.http.count(MANIFEST_URL)).toBe(2);
  });

  it('forgets the old manifest when pointed at a new one', async () => {
    const t = setup();
    publish(t.origin, manifestFor([t.seg(1)]));
    expect(await t.check(1, t.seg(1).bytes)).toBe('ok');
    t.verifier.setManifestUrl('http://origin.test/other/shoal-manifest.json');
    expect(await t.check(1, t.seg(1).bytes)).toBe('unknown'); // 404 there, auto mode
  });
});
