/**
 * DASH manifests of the sample streams, rendered from their HLS playlists (the same fMP4 files:
 * a DASH run and an HLS run of one stream fetch the very same segment bytes). Pure, no I/O.
 * - VOD: static, SegmentList + SegmentTimeline (exact per-segment URLs; byte-range segments as
 *   SegmentURL@mediaRange, the init section as Initialization@range).
 * - live: dynamic, SegmentTemplate $Number$ over the live route's seg-<n> names, on the HLS live
 *   route's sliding window and clock; each pass over the VOD loop is a Period of its own (the
 *   media timestamps restart there, as the HLS live playlist marks with a discontinuity).
 */
import { segmentStartMs, type LiveTimeline, type LiveWindow } from './live.js';
import type { MediaPlaylist } from './m3u8.js';

export interface MpdRendition {
  readonly id: string;
  readonly bandwidth: number;
  readonly codecs: string;
  readonly width?: number;
  readonly height?: number;
  readonly frameRate?: string;
  /** The media playlist's folder relative to the MPD, with a trailing slash ('' or 'v0/'). */
  readonly dir: string;
  readonly playlist: MediaPlaylist;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const seconds = (ms: number) => `PT${(ms / 1000).toFixed(3)}S`;

function representation(r: MpdRendition, inner: string[]): string[] {
  const size = r.width && r.height ? ` width="${r.width}" height="${r.height}"` : '';
  const rate = r.frameRate ? ` frameRate="${xml(r.frameRate)}"` : '';
  return [
    `      <Representation id="${xml(r.id)}" bandwidth="${r.bandwidth}" codecs="${xml(r.codecs)}"${size}${rate}>`,
    ...inner,
    '      </Representation>',
  ];
}

function adaptationSet(renditions: readonly MpdRendition[], body: (r: MpdRendition) => string[]): string[] {
  return [
    '    <AdaptationSet mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">',
    ...renditions.flatMap((r) => representation(r, body(r))),
    '    </AdaptationSet>',
  ];
}

function initialization(r: MpdRendition): string {
  const map = r.playlist.segments[0]?.map;
  if (!map) return '';
  const range = map.byteRange ? ` range="${map.byteRange.offset}-${map.byteRange.offset + map.byteRange.length - 1}"` : '';
  return `<Initialization sourceURL="${xml(r.dir + map.uri)}"${range}/>`;
}

function timeline(durationsMs: readonly number[], startMs = 0): string[] {
  let t = startMs;
  return [
    '          <SegmentTimeline>',
    ...durationsMs.map((d) => `            <S t="${(t += d) - d}" d="${d}"/>`),
    '          </SegmentTimeline>',
  ];
}

export function renderVodMpd(renditions: readonly MpdRendition[]): string {
  const durationMs = Math.max(...renditions.map((r) => r.playlist.segments.reduce((sum, s) => sum + Math.round(s.duration * 1000), 0)));
  const body = (r: MpdRendition) => [
    '        <SegmentList timescale="1000">',
    `          ${initialization(r)}`,
    ...timeline(r.playlist.segments.map((s) => Math.round(s.duration * 1000))),
    ...r.playlist.segments.map((s) => {
      const range = s.byteRange ? ` mediaRange="${s.byteRange.offset}-${s.byteRange.offset + s.byteRange.length - 1}"` : '';
      return `          <SegmentURL media="${xml(r.dir + s.uri)}"${range}/>`;
    }),
    '        </SegmentList>',
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" profiles="urn:mpeg:dash:profile:isoff-main:2011" minBufferTime="PT2S" mediaPresentationDuration="${seconds(durationMs)}">`,
    '  <Period id="0" start="PT0S">',
    ...adaptationSet(renditions, body),
    '  </Period>',
    '</MPD>',
    '',
  ].join('\n');
}

export interface LiveMpdInput {
  readonly renditions: readonly MpdRendition[];
  /** The live timeline of the renditions' (aligned) playlists, and the window now. */
  readonly timeline: LiveTimeline;
  readonly window: LiveWindow;
  readonly windowSegments: number;
  readonly nowMs: number;
}

export function renderLiveMpd({ renditions, timeline: tl, window: w, windowSegments, nowMs }: LiveMpdInput): string {
  const targetMs = Math.max(...tl.durMs);
  const periods: string[] = [];
  for (let loop = Math.floor(w.first / tl.count); loop <= Math.floor(w.last / tl.count); loop++) {
    const from = Math.max(w.first, loop * tl.count);
    const to = Math.min(w.last, loop * tl.count + tl.count - 1);
    const durations = Array.from({ length: to - from + 1 }, (_, i) => tl.durMs[(from + i) % tl.count]!);
    const body = (r: MpdRendition) => {
      const map = r.playlist.segments[0]?.map;
      const init = map ? ` initialization="${xml(r.dir + map.uri)}"` : '';
      const ext = r.playlist.segments[0]?.uri.match(/\.[A-Za-z0-9]+$/)?.[0] ?? '';
      return [
        `        <SegmentTemplate timescale="1000" presentationTimeOffset="0" startNumber="${from}"${init} media="${xml(r.dir)}seg-$Number$${ext}">`,
        ...timeline(durations, tl.cumMs[from % tl.count]),
        '        </SegmentTemplate>',
      ];
    };
    periods.push(
      `  <Period id="loop-${loop}" start="${seconds(segmentStartMs(tl, loop * tl.count))}">`,
      ...adaptationSet(renditions, body),
      '  </Period>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" profiles="urn:mpeg:dash:profile:isoff-live:2011"' +
      ` availabilityStartTime="${new Date(w.t0).toISOString()}" publishTime="${new Date(nowMs).toISOString()}"` +
      ` minimumUpdatePeriod="${seconds(targetMs)}" timeShiftBufferDepth="${seconds(windowSegments * targetMs)}"` +
      ` suggestedPresentationDelay="${seconds(3 * targetMs)}" minBufferTime="${seconds(targetMs)}">`,
    ...periods,
    '</MPD>',
    '',
  ].join('\n');
}
