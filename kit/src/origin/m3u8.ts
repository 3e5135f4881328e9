/**
 * A small HLS playlist parser and writer: the subset the origin needs to turn VOD playlists into
 * live ones (RFC 8216). Unknown tags are kept verbatim where they can be.
 */

/** Attribute list in source order; values are raw (quoted strings keep their quotes). */
export type AttrList = Array<[name: string, raw: string]>;

export interface ByteRange {
  length: number;
  offset: number;
}

export interface KeyInfo {
  method: string;
  uri?: string;
  /** Hex string including the 0x prefix, when given. */
  iv?: string;
  attrs: AttrList;
}

export interface MapInfo {
  uri: string;
  byteRange?: ByteRange;
  /** The key in effect where the EXT-X-MAP tag appeared (the init section is encrypted with it). */
  key?: KeyInfo;
}

export interface MediaSegment {
  uri: string;
  /** Seconds, from EXTINF. */
  duration: number;
  title: string;
  byteRange?: ByteRange;
  key?: KeyInfo;
  map?: MapInfo;
  discontinuity: boolean;
  programDateTime?: string;
}

export interface MediaPlaylist {
  type: 'media';
  version?: number;
  targetDuration: number;
  mediaSequence: number;
  discontinuitySequence: number;
  playlistType?: string;
  endList: boolean;
  independentSegments: boolean;
  segments: MediaSegment[];
}

export interface Variant {
  /** Tag name without the leading '#', e.g. EXT-X-STREAM-INF. */
  tag: string;
  attrs: AttrList;
  /** The URI line following EXT-X-STREAM-INF; undefined for tags carrying URI as an attribute. */
  uri?: string;
}

export interface MasterPlaylist {
  type: 'master';
  /** Every line after #EXTM3U, in order, either verbatim or as a parsed variant entry. */
  items: Array<string | Variant>;
}

export type Playlist = MediaPlaylist | MasterPlaylist;

export class PlaylistError extends Error {
  override name = 'PlaylistError';
}

export function parseAttrs(text: string): AttrList {
  const out: AttrList = [];
  const re = /\s*([A-Z0-9-]+)=("[^"]*"|[^,]*)\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    out.push([m[1]!, m[2]!]);
    if (m[0].length === 0) break;
  }
  return out;
}

export function attr(list: AttrList, name: string): string | undefined {
  const found = list.find(([n]) => n === name);
  if (!found) return undefined;
  const raw = found[1];
  return raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
}

export function formatAttrs(list: AttrList): string {
  return list.map(([n, v]) => `${n}=${v}`).join(',');
}

/** Returns a copy with NAME set to the quoted string value (appended when absent). */
export function withQuotedAttr(list: AttrList, name: string, value: string): AttrList {
  const raw = `"${value}"`;
  const out: AttrList = list.map(([n, v]) => [n, n === name ? raw : v]);
  if (!list.some(([n]) => n === name)) out.push([name, raw]);
  return out;
}

function parseByteRange(text: string, defaultOffset: number): ByteRange {
  const m = /^(\d+)(?:@(\d+))?$/.exec(text.trim());
  if (!m) throw new PlaylistError(`bad byte range "${text}"`);
  return { length: Number(m[1]), offset: m[2] !== undefined ? Number(m[2]) : defaultOffset };
}

function splitTag(line: string): [tag: string, value: string] {
  const i = line.indexOf(':');
  return i < 0 ? [line.slice(1), ''] : [line.slice(1, i), line.slice(i + 1)];
}

export function parsePlaylist(text: string): Playlist {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new PlaylistError('missing #EXTM3U header');
  const body = lines.slice(1).filter((l) => l.length > 0);
  const isMaster = body.some((l) => l.startsWith('#EXT-X-STREAM-INF'));
  return isMaster ? parseMaster(body) : parseMedia(body);
}

function parseMaster(lines: string[]): MasterPlaylist {
  const items: Array<string | Variant> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('#')) throw new PlaylistError(`URI without EXT-X-STREAM-INF: ${line}`);
    const [tag, value] = splitTag(line);
    if (tag === 'EXT-X-STREAM-INF') {
      const uri = lines[i + 1];
      if (uri === undefined || uri.startsWith('#')) throw new PlaylistError('EXT-X-STREAM-INF without URI');
      items.push({ tag, attrs: parseAttrs(value), uri });
      i++;
    } else if (tag === 'EXT-X-MEDIA' || tag === 'EXT-X-I-FRAME-STREAM-INF') {
      items.push({ tag, attrs: parseAttrs(value) });
    } else {
      items.push(line);
    }
  }
  return { type: 'master', items };
}

function parseMedia(lines: string[]): MediaPlaylist {
  const pl: MediaPlaylist = {
    type: 'media',
    targetDuration: 0,
    mediaSequence: 0,
    discontinuitySequence: 0,
    endList: false,
    independentSegments: false,
    segments: [],
  };
  let key: KeyInfo | undefined;
  let map: MapInfo | undefined;
  let duration: number | undefined;
  let title = '';
  let byteRange: ByteRange | undefined;
  let discontinuity = false;
  let pdt: string | undefined;
  const rangeEnd = new Map<string, number>(); // uri -> end of the previous byte range

  for (const line of lines) {
    if (!line.startsWith('#')) {
      if (duration === undefined) throw new PlaylistError(`segment without EXTINF: ${line}`);
      const seg: MediaSegment = { uri: line, duration, title, discontinuity };
      if (byteRange) {
        const br = byteRange.offset < 0 ? { ...byteRange, offset: rangeEnd.get(line) ?? 0 } : byteRange;
        seg.byteRange = br;
        rangeEnd.set(line, br.offset + br.length);
      }
      if (key && key.method !== 'NONE') seg.key = key;
      if (map) seg.map = map;
      if (pdt !== undefined) seg.programDateTime = pdt;
      pl.segments.push(seg);
      duration = undefined;
      title = '';
      byteRange = undefined;
      discontinuity = false;
      pdt = undefined;
      continue;
    }
    const [tag, value] = splitTag(line);
    switch (tag) {
      case 'EXT-X-VERSION':
        pl.version = Number(value);
        break;
      case 'EXT-X-TARGETDURATION':
        pl.targetDuration = Number(value);
        break;
      case 'EXT-X-MEDIA-SEQUENCE':
        pl.mediaSequence = Number(value);
        break;
      case 'EXT-X-DISCONTINUITY-SEQUENCE':
        pl.discontinuitySequence = Number(value);
        break;
      case 'EXT-X-PLAYLIST-TYPE':
        pl.playlistType = value;
        break;
      case 'EXT-X-ENDLIST':
        pl.endList = true;
        break;
      case 'EXT-X-INDEPENDENT-SEGMENTS':
        pl.independentSegments = true;
        break;
      case 'EXT-X-DISCONTINUITY':
        discontinuity = true;
        break;
      case 'EXT-X-PROGRAM-DATE-TIME':
        pdt = value;
        break;
      case 'EXTINF': {
        const comma = value.indexOf(',');
        duration = Number(comma < 0 ? value : value.slice(0, comma));
        title = comma < 0 ? '' : value.slice(comma + 1);
        if (!Number.isFinite(duration) || duration < 0) throw new PlaylistError(`bad EXTINF ${value}`);
        break;
      }
      case 'EXT-X-BYTERANGE':
        byteRange = parseByteRange(value, -1);
        break;
      case 'EXT-X-KEY': {
        const attrs = parseAttrs(value);
        const method = attr(attrs, 'METHOD');
        if (!method) throw new PlaylistError('EXT-X-KEY without METHOD');
        key = { method, attrs };
        const uri = attr(attrs, 'URI');
        const iv = attr(attrs, 'IV');
        if (uri !== undefined) key.uri = uri;
        if (iv !== undefined) key.iv = iv;
        break;
      }
      case 'EXT-X-MAP': {
        const attrs = parseAttrs(value);
        const uri = attr(attrs, 'URI');
        if (!uri) throw new PlaylistError('EXT-X-MAP without URI');
        map = { uri };
        const br = attr(attrs, 'BYTERANGE');
        if (br !== undefined) map.byteRange = parseByteRange(br, 0);
        if (key && key.method !== 'NONE') map.key = key;
        break;
      }
      default:
        break; // other tags are not needed by the origin
    }
  }
  if (!(pl.targetDuration > 0)) throw new PlaylistError('missing EXT-X-TARGETDURATION');
  return pl;
}

export function formatByteRange(br: ByteRange): string {
  return `${br.length}@${br.offset}`;
}

export function formatKey(key: KeyInfo | undefined): string {
  return key ? `#EXT-X-KEY:${formatAttrs(key.attrs)}` : '#EXT-X-KEY:METHOD=NONE';
}

export function formatMap(map: MapInfo): string {
  const range = map.byteRange ? `,BYTERANGE="${formatByteRange(map.byteRange)}"` : '';
  return `#EXT-X-MAP:URI="${map.uri}"${range}`;
}

export function formatMaster(pl: MasterPlaylist): string {
  const out = ['#EXTM3U'];
  for (const item of pl.items) {
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    out.push(`#${item.tag}:${formatAttrs(item.attrs)}`);
    if (item.uri !== undefined) out.push(item.uri);
  }
  return out.join('\n') + '\n';
}
