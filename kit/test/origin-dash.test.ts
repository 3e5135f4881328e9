// The origin's DASH manifests, rendered from the sample's HLS playlists: VOD (SegmentList over
// the very files the HLS run fetches, byte ranges as mediaRange) and live (SegmentTemplate on the
// HLS live route's window and clock; each pass over the loop a Period).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Origin, startOrigin } from '../src/origin/index.js';

const MEDIA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../media');
const SEG_MS = 2000;
const COUNT = 30; // segments in kit/media/sample
const WINDOW = 6;

let origin: Origin;
let now = Date.UTC(2026, 0, 1);

async function get(p: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${origin.url}/${p}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const all = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!);

beforeAll(async () => {
  origin = await startOrigin({ root: MEDIA, clock: () => now, liveWindow: WINDOW });
});
afterAll(() => origin.close());

describe('DASH VOD manifest', () => {
  it('lists every HLS segment of each rendition with its timeline, the init section and bandwidths', async () => {
    const mpd = await get('vod/sample/manifest.mpd');
    expect(mpd.status).toBe(200);
    expect(mpd.type).toBe('application/dash+xml');
    expect(mpd.text).toContain('type="static"');
    expect(all(mpd.text, /<Representation id="(v\d)"/g)).toEqual(['v0', 'v1']);
    const media = all(mpd.text, /<SegmentURL media="([^"]+)"/g);
    expect(media.length).toBe(2 * COUNT);
    expect(media[0]).toBe('v0/seg_00000.m4s');
    expect(all(mpd.text, /sourceURL="([^"]+)"/g)).toEqual(['v0/init.mp4', 'v1/init.mp4']);
    // Every listed segment is there, byte for byte the HLS file.
    const [seg, hls] = await Promise.all([
      fetch(`${origin.url}/vod/sample/${media[3]}`),
      fetch(`${origin.url}/vod/sample/v0/seg_00003.m4s`),
    ]);
    expect(Buffer.from(await seg.arrayBuffer()).equals(Buffer.from(await hls.arrayBuffer()))).toBe(true);
  });

  it('byte-range HLS becomes SegmentList mediaRange and an Initialization range', async () => {
    const mpd = await get('vod/sample-byterange/manifest.mpd');
    expect(mpd.status).toBe(200);
    expect(mpd.text).toMatch(/<Initialization sourceURL="[^"]+" range="0-\d+"\/>/);
    expect(mpd.text).toMatch(/<SegmentURL media="[^"]+" mediaRange="\d+-\d+"\/>/);
  });
});

describe('DASH live manifest', () => {
  it('is dynamic, on the HLS live window: startNumber and S entries name the produced live segments', async () => {
    now += 10 * SEG_MS;
    const [mpd, hls] = await Promise.all([get('live/sample/manifest.mpd'), get('live/sample/v0/index.m3u8')]);
    expect(mpd.text).toContain('type="dynamic"');
    const hlsFirst = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(hls.text)![1]);
    const start = Number(/startNumber="(\d+)"/.exec(mpd.text)![1]);
    expect(start).toBe(hlsFirst);
    const periodV0 = mpd.text.split('<Representation id="v1"')[0]!;
    expect(all(periodV0, /<S t="\d+" d="(\d+)"\/>/g).length).toBe(WINDOW);
    const last = await fetch(`${origin.url}/live/sample/v0/seg-${start + WINDOW - 1}.m4s`);
    expect(last.status).toBe(200);
    expect((await fetch(`${origin.url}/live/sample/v0/seg-${start + WINDOW}.m4s`)).status).toBe(404);
  });

  it("a window across the loop's end has a Period per pass, the second starting at segment COUNT", async () => {
    now += (COUNT - 12) * SEG_MS; // the window now holds the loop's last segments and the next pass's first
    const mpd = await get('live/sample/manifest.mpd');
    expect(all(mpd.text, /<Period id="(loop-\d+)"/g)).toEqual(['loop-0', 'loop-1']);
    expect(all(mpd.text, /startNumber="(\d+)"/g)).toContain(String(COUNT));
    expect(mpd.text).toContain(`start="PT${((COUNT * SEG_MS) / 1000).toFixed(3)}S"`);
  });
});
