import { createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Origin, startOrigin } from '../src/origin/index.js';

const MEDIA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../media');
const vodFile = (rel: string): Buffer => readFileSync(path.join(MEDIA, rel));
const SEG_MS = 2000;
const COUNT = 30; // segments in kit/media/sample

interface LivePlaylist {
  text: string;
  mediaSequence: number;
  discontinuitySequence: number;
  targetDuration: number;
  /** segment URIs in order */
  uris: string[];
  /** sequence numbers of segments preceded by EXT-X-DISCONTINUITY */
  discontinuities: number[];
  /** IV attribute in effect for each segment (undefined when none) */
  ivs: Array<string | undefined>;
}

function parse(text: string): LivePlaylist {
  const lines = text.trim().split('\n');
  const num = (tag: string): number => Number(lines.find((l) => l.startsWith(`#${tag}:`))?.split(':')[1]);
  const mediaSequence = num('EXT-X-MEDIA-SEQUENCE');
  const uris: string[] = [];
  const discontinuities: number[] = [];
  const ivs: Array<string | undefined> = [];
  let disc = false;
  let iv: string | undefined;
  for (const l of lines) {
    if (l === '#EXT-X-DISCONTINUITY') disc = true;
    else if (l.startsWith('#EXT-X-KEY:')) iv = /IV=(0x[0-9a-fA-F]+)/.exec(l)?.[1];
    else if (!l.startsWith('#')) {
      if (disc) discontinuities.push(mediaSequence + uris.length);
      uris.push(l);
      ivs.push(iv);
      disc = false;
    }
  }
  return {
    text,
    mediaSequence,
    discontinuitySequence: num('EXT-X-DISCONTINUITY-SEQUENCE'),
    targetDuration: num('EXT-X-TARGETDURATION'),
    uris,
    discontinuities,
    ivs,
  };
}

let now = 1_800_000_000_000;
const START = now;
let origin: Origin;

async function playlist(p: string): Promise<LivePlaylist> {
  const res = await fetch(`${origin.url}/live/${p}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  return parse(await res.text());
}

async function body(p: string): Promise<{ status: number; data: Buffer }> {
  const res = await fetch(`${origin.url}/live/${p}`);
  return { status: res.status, data: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  origin = await startOrigin({ root: MEDIA, clock: () => now, liveWindow: 6 });
});
afterAll(async () => {
  await origin.close();
});

describe('live sliding window', () => {
  it('starts with a full window and the live tags', async () => {
    now = START;
    const pl = await playlist('sample/v0/index.m3u8');
    expect(pl.mediaSequence).toBe(0);
    expect(pl.discontinuitySequence).toBe(0);
    expect(pl.targetDuration).toBe(2);
    expect(pl.uris).toEqual(['seg-0.m4s', 'seg-1.m4s', 'seg-2.m4s', 'seg-3.m4s', 'seg-4.m4s', 'seg-5.m4s']);
    expect(pl.text).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(pl.text).not.toContain('#EXT-X-ENDLIST');
    expect(pl.text).not.toContain('PLAYLIST-TYPE');
    expect(pl.text.match(/#EXTINF:2\.000000,/g)).toHaveLength(6);
  });

  it('advances one segment per segment duration, only once it is fully produced', async () => {
    now = START + SEG_MS - 1;
    expect((await playlist('sample/v0/index.m3u8')).mediaSequence).toBe(0);
    expect((await body('sample/v0/seg-6.m4s')).status).toBe(404); // not produced yet
    now = START + SEG_MS;
    const pl = await playlist('sample/v0/index.m3u8');
    expect(pl.mediaSequence).toBe(1);
    expect(pl.uris.at(-1)).toBe('seg-6.m4s');
    expect((await body('sample/v0/seg-6.m4s')).status).toBe(200);
    expect((await body('sample/v0/seg-7.m4s')).status).toBe(404);
    now = START + 10 * SEG_MS + 500;
    const later = await playlist('sample/v0/index.m3u8');
    expect(later.mediaSequence).toBe(10);
    expect(later.uris).toHaveLength(6);
    expect(later.uris[0]).toBe('seg-10.m4s');
  });

  it('keeps renditions on the same sequence numbers', async () => {
    now = START + 7 * SEG_MS + 123;
    const a = await playlist('sample/v0/index.m3u8');
    const b = await playlist('sample/v1/index.m3u8');
    expect(a.mediaSequence).toBe(b.mediaSequence);
    expect(a.uris).toEqual(b.uris);
  });

  it('marks the loop wrap with a discontinuity and a discontinuity sequence', async () => {
    // last segment of the first pass: 29
    now = START + (COUNT - 6) * SEG_MS;
    let pl = await playlist('sample/v0/index.m3u8');
    expect(pl.uris.at(-1)).toBe('seg-29.m4s');
    expect(pl.discontinuities).toEqual([]);
    now += SEG_MS;
    pl = await playlist('sample/v0/index.m3u8');
    expect(pl.uris.at(-1)).toBe('seg-30.m4s');
    expect(pl.discontinuities).toEqual([30]);
    expect(pl.discontinuitySequence).toBe(0);
    // the wrap reaches the head of the window: discontinuity sequence 1, no tag needed
    now = START + COUNT * SEG_MS;
    pl = await playlist('sample/v0/index.m3u8');
    expect(pl.mediaSequence).toBe(30);
    expect(pl.discontinuitySequence).toBe(1);
    expect(pl.discontinuities).toEqual([]);
    // second wrap
    now = START + (2 * COUNT - 3) * SEG_MS;
    pl = await playlist('sample/v0/index.m3u8');
    expect(pl.mediaSequence).toBe(2 * COUNT - 3);
    expect(pl.discontinuitySequence).toBe(1);
    expect(pl.discontinuities).toEqual([2 * COUNT]);
  });

  it('gives every sequence number its own URL and the mapped VOD bytes', async () => {
    now = START + 40 * SEG_MS;
    const pl = await playlist('sample/v1/index.m3u8');
    expect(new Set(pl.uris).size).toBe(pl.uris.length);
    pl.uris.forEach((uri, i) => expect(uri).toBe(`seg-${pl.mediaSequence + i}.m4s`));
    for (const n of [pl.mediaSequence, pl.mediaSequence + 5, 3, 30, 31]) {
      const { status, data } = await body(`sample/v1/seg-${n}.m4s`);
      expect(status).toBe(200);
      const vod = vodFile(`sample/v1/seg_${String(n % COUNT).padStart(5, '0')}.m4s`);
      expect(data.equals(vod), `seg-${n}`).toBe(true);
    }
    // init segment and Range on live segments
    expect((await body('sample/v1/init.mp4')).data.equals(vodFile('sample/v1/init.mp4'))).toBe(true);
    const res = await fetch(`${origin.url}/live/sample/v1/seg-31.m4s`, { headers: { Range: 'bytes=10-19' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(vodFile('sample/v1/seg_00001.m4s').subarray(10, 20))).toBe(true);
  });

  it('rejects malformed live segment names', async () => {
    now = START + 40 * SEG_MS;
    for (const p of ['seg-01.m4s', 'seg--1.m4s', 'seg-3.ts', 'seg-99999999999999999999.m4s', 'seg-7.m4s.m4s']) {
      expect((await body(`sample/v0/${p}`)).status, p).toBe(404);
    }
  });

  it('rewrites the master playlist to the live variants', async () => {
    const res = await fetch(`${origin.url}/live/sample/master.m3u8`);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const text = await res.text();
    expect(text).toContain('#EXT-X-STREAM-INF:BANDWIDTH=');
    expect(text).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    const variants = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(variants).toEqual(['v0/index.m3u8', 'v1/index.m3u8']);
    // relative variant URIs resolve under /live/
    expect(new URL(variants[0]!, `${origin.url}/live/sample/master.m3u8`).pathname).toBe('/live/sample/v0/index.m3u8');
  });
});

describe('live with a window longer than the stream, AES-128 and byte ranges', () => {
  let o: Origin;
  let t = 5_000_000;
  const T0 = t;
  beforeAll(async () => {
    o = await startOrigin({ root: MEDIA, clock: () => t, liveWindow: 10 });
  });
  afterAll(async () => {
    await o.close();
  });

  it('AES-128: explicit IVs carry the VOD sequence numbers; segments decrypt', async () => {
    t = T0 + 3 * SEG_MS;
    const res = await fetch(`${o.url}/live/sample-aes/v0/index.m3u8`);
    const pl = parse(await res.text());
    expect(pl.uris).toHaveLength(10);
    expect(pl.mediaSequence).toBe(3);
    expect(pl.discontinuities).toEqual([6, 12]); // 6 VOD segments per loop
    expect(pl.discontinuitySequence).toBe(0);
    expect(pl.text).toMatch(/#EXT-X-MAP:URI="init.mp4"\n#EXT-X-KEY:METHOD=AES-128,URI="enc.key",IV=/);
    const key = Buffer.from(await (await fetch(`${o.url}/live/sample-aes/v0/enc.key`)).arrayBuffer());
    expect(key.equals(vodFile('sample-aes/v0/enc.key'))).toBe(true);
    for (let i = 0; i < pl.uris.length; i++) {
      const n = pl.mediaSequence + i;
      expect(pl.ivs[i]).toBe('0x' + (n % 6).toString(16).padStart(32, '0'));
      const enc = Buffer.from(await (await fetch(`${o.url}/live/sample-aes/v0/${pl.uris[i]!}`)).arrayBuffer());
      const d = createDecipheriv('aes-128-cbc', key, Buffer.from(pl.ivs[i]!.slice(2), 'hex'));
      const clear = Buffer.concat([d.update(enc), d.final()]);
      expect(['styp', 'moof', 'sidx']).toContain(clear.subarray(4, 8).toString('latin1'));
    }
  });

  it('byte-range VOD segments become standalone live segments', async () => {
    t = T0 + 4 * SEG_MS;
    const text = await (await fetch(`${o.url}/live/sample-byterange/v0/index.m3u8`)).text();
    const pl = parse(text);
    expect(text).toMatch(/#EXT-X-MAP:URI="media.mp4",BYTERANGE="\d+@0"/);
    expect(text).not.toContain('#EXT-X-BYTERANGE');
    const vodPl = vodFile('sample-byterange/v0/index.m3u8').toString();
    const ranges = [...vodPl.matchAll(/#EXT-X-BYTERANGE:(\d+)@(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    const media = vodFile('sample-byterange/v0/media.mp4');
    for (let i = 0; i < pl.uris.length; i++) {
      const n = pl.mediaSequence + i;
      expect(pl.uris[i]).toBe(`seg-${n}.mp4`);
      const [len, off] = ranges[n % ranges.length]!;
      const data = Buffer.from(await (await fetch(`${o.url}/live/sample-byterange/v0/seg-${n}.mp4`)).arrayBuffer());
      expect(data.equals(media.subarray(off, off + len)), `seg-${n}`).toBe(true);
    }
  });
});
