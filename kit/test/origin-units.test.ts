import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeSegments, FileStore } from '../src/origin/files.js';
import { latestProduced, liveT0, liveWindowOf, renderLivePlaylist, segmentStartMs, timelineOf } from '../src/origin/live.js';
import { liveMaster } from '../src/origin/live-route.js';
import { attr, type MediaPlaylist, parseAttrs, parsePlaylist, PlaylistError } from '../src/origin/m3u8.js';
import { parseRange } from '../src/origin/range.js';
import { classifyPath } from '../src/origin/stats.js';

const MEDIA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../media');

describe('m3u8 parser', () => {
  it('parses attribute lists with quoted commas', () => {
    const a = parseAttrs('BANDWIDTH=1000,CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360,NAME="a=b"');
    expect(attr(a, 'BANDWIDTH')).toBe('1000');
    expect(attr(a, 'CODECS')).toBe('avc1.4d401e,mp4a.40.2');
    expect(attr(a, 'RESOLUTION')).toBe('640x360');
    expect(attr(a, 'NAME')).toBe('a=b');
    expect(attr(a, 'MISSING')).toBeUndefined();
  });

  it('parses the sample playlists', () => {
    const master = parsePlaylist(readFileSync(path.join(MEDIA, 'sample/master.m3u8'), 'utf8'));
    expect(master.type).toBe('master');
    const media = parsePlaylist(readFileSync(path.join(MEDIA, 'sample/v0/index.m3u8'), 'utf8')) as MediaPlaylist;
    expect(media.type).toBe('media');
    expect(media.segments).toHaveLength(30);
    expect(media.segments.every((s) => s.duration === 2 && s.map?.uri === 'init.mp4' && !s.key)).toBe(true);
    expect(media.endList).toBe(true);
    expect(media.playlistType).toBe('VOD');
    expect(media.targetDuration).toBe(2);
    const aes = parsePlaylist(readFileSync(path.join(MEDIA, 'sample-aes/v0/index.m3u8'), 'utf8')) as MediaPlaylist;
    expect(aes.segments.every((s) => s.key?.method === 'AES-128' && s.key.uri === 'enc.key' && !s.key.iv)).toBe(true);
    expect(aes.segments[0]!.map?.key).toBeUndefined(); // MAP precedes KEY: init in the clear
  });

  it('fills in implicit byte-range offsets and keeps map ranges and keys', () => {
    const pl = parsePlaylist(
      [
        '#EXTM3U',
        '#EXT-X-TARGETDURATION:4',
        '#EXT-X-MEDIA-SEQUENCE:7',
        '#EXT-X-KEY:METHOD=AES-128,URI="k.key",IV=0x0A',
        '#EXT-X-MAP:URI="all.mp4",BYTERANGE="100"',
        '#EXTINF:4.0,first',
        '#EXT-X-BYTERANGE:50@100',
        'all.mp4',
        '#EXT-X-DISCONTINUITY',
        '#EXTINF:3.5,',
        '#EXT-X-BYTERANGE:70',
        'all.mp4',
        '#EXT-X-KEY:METHOD=NONE',
        '#EXTINF:1',
        'other.m4s',
      ].join('\r\n'),
    ) as MediaPlaylist;
    expect(pl.mediaSequence).toBe(7);
    expect(pl.endList).toBe(false);
    const [a, b, c] = pl.segments;
    expect(a).toMatchObject({ uri: 'all.mp4', duration: 4, title: 'first', byteRange: { length: 50, offset: 100 } });
    expect(a!.map).toMatchObject({ uri: 'all.mp4', byteRange: { length: 100, offset: 0 } });
    expect(a!.map!.key?.iv).toBe('0x0A');
    expect(b).toMatchObject({ duration: 3.5, discontinuity: true, byteRange: { length: 70, offset: 150 } });
    expect(c!.key).toBeUndefined();
    expect(c!.byteRange).toBeUndefined();
  });

  it('rejects broken playlists', () => {
    expect(() => parsePlaylist('hello')).toThrow(PlaylistError);
    expect(() => parsePlaylist('#EXTM3U\n#EXTINF:2,\nseg.ts\n')).toThrow(/TARGETDURATION/);
    expect(() => parsePlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\nseg.ts\n')).toThrow(/EXTINF/);
    expect(() => parsePlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:x,\nseg.ts\n')).toThrow();
  });

  it('maps absolute /vod/ URIs of a master playlist to /live/', () => {
    const master = parsePlaylist(
      '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="/vod/s/a/index.m3u8"\n' +
        '#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO="a"\n/vod/s/v0/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\nv1/index.m3u8\n',
    );
    if (master.type !== 'master') throw new Error('not a master');
    const out = liveMaster(master, 's');
    expect(out).toContain('URI="/live/s/a/index.m3u8"');
    expect(out).toContain('\n/live/s/v0/index.m3u8\n');
    expect(out).toContain('\nv1/index.m3u8\n');
    expect(out).toContain('#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO="a"');
  });
});

describe('Range header', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['bytes=0-0', { kind: 'range', range: { start: 0, end: 0 } }],
    ['bytes=5-', { kind: 'range', range: { start: 5, end: 9 } }],
    ['bytes=-3', { kind: 'range', range: { start: 7, end: 9 } }],
    ['bytes=-30', { kind: 'range', range: { start: 0, end: 9 } }],
    ['bytes=8-100', { kind: 'range', range: { start: 8, end: 9 } }],
    ['bytes=10-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=5-4', { kind: 'none' }],
    ['bytes=0-1,3-4', { kind: 'none' }],
    ['bytes=-', { kind: 'none' }],
    ['pages=1-2', { kind: 'none' }],
  ])('%s on 10 bytes', (header, want) => {
    expect(parseRange(header, 10)).toEqual(want);
  });

  it('finds nothing satisfiable in an empty resource', () => {
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('live timeline', () => {
  const pl = (durations: number[]): MediaPlaylist => ({
    type: 'media',
    targetDuration: Math.ceil(Math.max(...durations)),
    mediaSequence: 0,
    discontinuitySequence: 0,
    endList: true,
    independentSegments: false,
    segments: durations.map((duration, i) => ({ uri: `s${i}.ts`, duration, title: '', discontinuity: false })),
  });

  it('handles uneven durations across loops', () => {
    const tl = timelineOf(pl([2, 2, 1.5]));
    expect(tl.loopMs).toBe(5500);
    expect(segmentStartMs(tl, 3)).toBe(5500);
    expect(segmentStartMs(tl, 5)).toBe(9500);
    expect(latestProduced(tl, 0)).toBe(-1);
    expect(latestProduced(tl, 1999)).toBe(-1);
    expect(latestProduced(tl, 2000)).toBe(0);
    expect(latestProduced(tl, 5499)).toBe(1);
    expect(latestProduced(tl, 5500)).toBe(2);
    expect(latestProduced(tl, 7500)).toBe(3);
    expect(liveT0(tl, 100_000, 4)).toBe(100_000 - 7500);
  });

  it('starts with a full window, also longer than the stream', () => {
    const tl = timelineOf(pl([2, 2, 2]));
    expect(liveWindowOf(tl, { startMs: 0, nowMs: 0, window: 5 })).toMatchObject({ first: 0, last: 4 });
    expect(liveWindowOf(tl, { startMs: 0, nowMs: 2000, window: 5 })).toMatchObject({ first: 1, last: 5 });
    const text = renderLivePlaylist(pl([2, 2, 2]), { startMs: 0, nowMs: 2000, window: 5 });
    expect(text).toContain('#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-DISCONTINUITY-SEQUENCE:0');
    expect(text.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
    expect(
      text
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('#')),
    ).toEqual(['seg-1.ts', 'seg-2.ts', 'seg-3.ts', 'seg-4.ts', 'seg-5.ts']);
  });
});

describe('paths', () => {
  it('decodes safe segments and refuses dot segments, separators and NUL', () => {
    expect(decodeSegments(['a%20b', 'c.m4s'])).toEqual(['a b', 'c.m4s']);
    for (const bad of [['..'], ['.'], [''], ['%2e%2e'], ['a%2fb'], ['a%5cb'], ['a%00'], ['%E0%A4%A']]) {
      expect(decodeSegments(bad), bad.join('/')).toBeUndefined();
    }
  });

  it('never resolves outside the root, even given raw dot segments', () => {
    const files = new FileStore(MEDIA);
    expect(files.resolve(['..', 'package.json'])).toBeUndefined();
    expect(files.resolve(['sample', '..', '..', 'package.json'])).toBeUndefined();
    expect(files.resolve(['/etc/passwd'])).toBeUndefined();
    expect(files.resolve(['sample', '..'])).toBeUndefined(); // the root itself is not a file
    expect(files.resolve(['sample', 'master.m3u8'])).toBe(path.join(MEDIA, 'sample', 'master.m3u8'));
  });

  it('classifies request kinds', () => {
    expect(classifyPath('/vod/s/master.m3u8')).toBe('playlist');
    expect(classifyPath('/vod/s/v0/init.mp4')).toBe('init');
    expect(classifyPath('/vod/s/v0/seg_00001.m4s')).toBe('segment');
    expect(classifyPath('/live/s/v0/seg-17.m4s')).toBe('segment');
    expect(classifyPath('/vod/s/v0/x.ts')).toBe('segment');
    expect(classifyPath('/vod/s/v0/enc.key')).toBe('key');
    expect(classifyPath('/vod/s/readme.txt')).toBe('other');
  });
});
