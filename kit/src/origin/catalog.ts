/**
 * Parsed VOD playlists under the media root, cached by file version, plus what the origin
 * learns from them: which byte ranges of single-file streams are init sections.
 */
import path from 'node:path';
import type { FileStore } from './files.js';
import { type MediaPlaylist, type Playlist, parsePlaylist } from './m3u8.js';

interface Parsed {
  size: number;
  mtimeMs: number;
  playlist: Playlist;
}

export class Catalog {
  private parsed = new Map<string, Parsed>();
  /** absolute file -> byte offsets at which an EXT-X-MAP range starts, with its length */
  private initRanges = new Map<string, Map<number, number>>();

  constructor(private readonly files: FileStore) {}

  /**
   * The playlist at an absolute path, or undefined if there is no such file.
   * Throws PlaylistError when the file does not parse.
   */
  async playlist(abs: string): Promise<Playlist | undefined> {
    const read = await this.files.readText(abs);
    if (!read) return undefined;
    const { entry, text } = read;
    const hit = this.parsed.get(abs);
    if (hit && hit.size === entry.size && hit.mtimeMs === entry.mtimeMs) return hit.playlist;
    const playlist = parsePlaylist(text);
    this.parsed.set(abs, { size: entry.size, mtimeMs: entry.mtimeMs, playlist });
    if (playlist.type === 'media') this.learnInitRanges(abs, playlist);
    return playlist;
  }

  /**
   * The media playlist behind live segment URLs in a directory: index.m3u8 if it is one,
   * otherwise the first media playlist in name order.
   */
  async mediaPlaylistIn(absDir: string): Promise<{ path: string; playlist: MediaPlaylist } | undefined> {
    const names = (await this.files.listDir(absDir)).filter((n) => n.toLowerCase().endsWith('.m3u8'));
    names.sort((a, b) => (a === 'index.m3u8' ? -1 : b === 'index.m3u8' ? 1 : 0));
    for (const name of names) {
      const abs = path.join(absDir, name);
      try {
        const pl = await this.playlist(abs);
        if (pl?.type === 'media') return { path: abs, playlist: pl };
      } catch {
        // not a usable playlist; try the next one
      }
    }
    return undefined;
  }

  /** Absolute file of a URI relative to a playlist, if it stays under the root. */
  resolveUri(playlistAbs: string, uri: string): string | undefined {
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/')) return undefined;
    const rel = uri.split(/[?#]/, 1)[0] ?? '';
    let decoded: string;
    try {
      decoded = decodeURIComponent(rel);
    } catch {
      return undefined;
    }
    const abs = path.resolve(path.dirname(playlistAbs), decoded);
    return this.files.inside(abs) ? abs : undefined;
  }

  /** Whether bytes [start, end] of a file lie within an init section announced by a playlist. */
  isInitRange(abs: string, start: number, end: number): boolean {
    const length = this.initRanges.get(abs)?.get(start);
    return length !== undefined && end - start + 1 <= length;
  }

  private learnInitRanges(playlistAbs: string, pl: MediaPlaylist): void {
    for (const seg of pl.segments) {
      const br = seg.map?.byteRange;
      if (!seg.map || !br) continue;
      const file = this.resolveUri(playlistAbs, seg.map.uri);
      if (!file) continue;
      let ranges = this.initRanges.get(file);
      if (!ranges) this.initRanges.set(file, (ranges = new Map<number, number>()));
      ranges.set(br.offset, br.length);
    }
  }
}
