import { describe, expect, it } from 'vitest';
import { hlsjsBufferGoalS, ownSocketUrl } from '../src/node-peer/hlsjs-model.js';
import { LiveTimeline, pickVariant, readMedia } from '../src/node-peer/playlist.js';

const MASTER = `#EXTM3U
#EXT-X-STREAM-INF:BANDWIDTH=800000
hi/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=300000
lo/index.m3u8
`;

const MEDIA = `#EXTM3U
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:40
#EXT-X-MAP:URI="init.mp4"
#EXTINF:2.0,
seg-40.m4s
#EXTINF:1.5,
seg-41.m4s
#EXT-X-BYTERANGE:1000@500
#EXTINF:2.0,
all.mp4
`;

describe('node-peer playlists', () => {
  it('numbers variants as hls.js levels (by bandwidth) and picks the top one', async () => {
    const get = async () => MASTER;
    expect(await pickVariant('http://127.0.0.1:1/live/s/master.m3u8', 'top', get)).toEqual({
      level: 1,
      bandwidth: 800000,
      url: 'http://127.0.0.1:1/live/s/hi/index.m3u8',
    });
    expect((await pickVariant('http://127.0.0.1:1/live/s/master.m3u8', 0, get)).url).toBe('http://127.0.0.1:1/live/s/lo/index.m3u8');
  });

  it('a media playlist URL is level 0', async () => {
    expect((await pickVariant('http://127.0.0.1:1/m.m3u8', 'top', async () => MEDIA)).level).toBe(0);
  });

  it('reads sequence numbers, offsets, byte ranges and the init section', () => {
    const media = readMedia(MEDIA, 'http://127.0.0.1:1/live/s/hi/index.m3u8');
    expect(media.live).toBe(true);
    expect(media.segments.map((s) => [s.seq, s.offsetS])).toEqual([
      [40, 0],
      [41, 2],
      [42, 3.5],
    ]);
    expect(media.segments[0]!.init).toEqual({ url: 'http://127.0.0.1:1/live/s/hi/init.mp4' });
    expect(media.segments[2]!.byteRange).toEqual({ start: 500, end: 1499 });
  });

  it('keeps live media times stable across reloads', () => {
    const t = new LiveTimeline();
    const first = readMedia(MEDIA, 'http://127.0.0.1:1/x.m3u8').segments.slice(0, 2);
    t.update(first);
    t.update([...first.slice(1), { seq: 42, url: 'u', durationS: 2, offsetS: 99 }]);
    expect([t.startOf(40), t.startOf(41), t.startOf(42)]).toEqual([0, 2, 3.5]);
  });

  it('buffers as far ahead as hls.js does with its defaults', () => {
    expect(hlsjsBufferGoalS(770_000)).toBe(600);
    expect(hlsjsBufferGoalS(8_000_000)).toBe(60);
    expect(hlsjsBufferGoalS(50_000_000)).toBe(30);
  });

  it('gives every node peer its own tracker socket URL', () => {
    const a = ownSocketUrl('ws://127.0.0.1:9000', 'aa'.repeat(20));
    const b = ownSocketUrl('ws://127.0.0.1:9000/?x=1', 'bb'.repeat(20));
    expect(a).not.toBe(b);
    expect(new URL(b).searchParams.get('x')).toBe('1');
  });
});
