/**
 * Where the `shoal-hash` command reads a stream from: files (file: URLs) or HTTP(S), with the
 * limits that keep a wrong URL from filling memory or hanging. Node only.
 */
import { open, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

/** Where playlists and segments are read from: files (file: URLs) or HTTP(S). */
export interface StreamSource {
  readText(url: URL): Promise<string>;
  /** Bytes of the resource, or of the inclusive range of it; plus a version tag for caching (undefined: do not cache). */
  readBytes(url: URL, range?: { start: number; end: number }): Promise<{ bytes: Uint8Array; version: string | undefined }>;
  /** A cheap version tag (size and mtime for files), or undefined when only reading tells. */
  version(url: URL): Promise<string | undefined>;
}

export class HashError extends Error {
  override readonly name = 'HashError';
}

const MASTER_NAMES = ['master.m3u8', 'index.m3u8', 'playlist.m3u8', 'main.m3u8'];
const HTTP_TIMEOUT_MS = 30_000;
const MAX_PLAYLIST_BYTES = 32 * 1024 * 1024;

export const fileSource: StreamSource = {
  async readText(url) {
    const info = await stat(url).catch(() => undefined);
    if (!info?.isFile()) throw new HashError(`no such file: ${fileURLToPath(url)}`);
    if (info.size > MAX_PLAYLIST_BYTES) throw new HashError(`${fileURLToPath(url)} is too large for a playlist`);
    return readFile(url, 'utf8');
  },
  async readBytes(url, range) {
    const handle = await open(url, 'r').catch(() => {
      throw new HashError(`cannot open ${fileURLToPath(url)}`);
    });
    try {
      const info = await handle.stat();
      const start = range?.start ?? 0;
      const end = range ? range.end : info.size - 1;
      if (end >= info.size || end < start)
        throw new HashError(`${fileURLToPath(url)}: bytes ${start}-${end} are beyond its ${info.size} bytes`);
      const bytes = new Uint8Array(end - start + 1);
      let at = 0;
      while (at < bytes.length) {
        const { bytesRead } = await handle.read(bytes, at, bytes.length - at, start + at);
        if (bytesRead === 0) throw new HashError(`${fileURLToPath(url)} shrank while being read`);
        at += bytesRead;
      }
      return { bytes, version: `${info.size}:${info.mtimeMs}` };
    } finally {
      await handle.close();
    }
  },
  async version(url) {
    const info = await stat(url).catch(() => undefined);
    return info ? `${info.size}:${info.mtimeMs}` : undefined;
  },
};

export function httpSource(fetchImpl: typeof fetch = fetch): StreamSource {
  const get = async (url: URL, headers: Record<string, string> = {}) => {
    const response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) }).catch((error: Error) => {
      throw new HashError(`${url.href}: ${error.message}`);
    });
    if (!response.ok) throw new HashError(`${url.href}: HTTP ${response.status}`);
    return response;
  };
  return {
    async readText(url) {
      const response = await get(url);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > MAX_PLAYLIST_BYTES) throw new HashError(`${url.href} is too large for a playlist`);
      return new TextDecoder().decode(bytes);
    },
    async readBytes(url, range) {
      const response = await get(url, range ? { Range: `bytes=${range.start}-${range.end}` } : {});
      let bytes = new Uint8Array(await response.arrayBuffer());
      if (range && response.status === 200) bytes = bytes.subarray(range.start, range.end + 1); // Range ignored
      if (range && bytes.length !== range.end - range.start + 1)
        throw new HashError(`${url.href}: got ${bytes.length} bytes for range ${range.start}-${range.end}`);
      const length = response.headers.get('Content-Length');
      if (!range && length !== null && Number(length) !== bytes.length)
        throw new HashError(`${url.href}: body of ${bytes.length} bytes, Content-Length ${length}`);
      return { bytes, version: undefined };
    },
    async version() {
      return undefined;
    },
  };
}

/** The URL of a stream given on the command line: an http(s) URL, a playlist file, or a folder holding a master playlist. */
export async function resolveInput(input: string): Promise<URL> {
  if (/^https?:\/\//i.test(input)) return new URL(input);
  const abs = path.resolve(input);
  const info = await stat(abs).catch(() => undefined);
  if (!info) throw new HashError(`${input}: no such file or folder`);
  if (info.isFile()) return pathToFileURL(abs);
  const names = await readdir(abs);
  const master = MASTER_NAMES.find((n) => names.includes(n));
  if (master) return pathToFileURL(path.join(abs, master));
  const playlists = names.filter((n) => n.endsWith('.m3u8'));
  if (playlists.length === 1) return pathToFileURL(path.join(abs, playlists[0]!));
  throw new HashError(
    `${input}: no ${MASTER_NAMES.join('/')} in this folder${playlists.length ? ` (found ${playlists.join(', ')}: name one)` : ''}`,
  );
}
