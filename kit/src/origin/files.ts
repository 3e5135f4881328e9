/**
 * Confined file access under the media root: URL path -> file, with traversal made impossible,
 * a small in-memory cache for small files, and streamed reads of byte intervals for big ones.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Files up to this size are kept in memory (keyed by path, size and mtime). */
const CACHE_MAX_FILE = 2 * 1024 * 1024;
const CACHE_MAX_TOTAL = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;

export interface FileEntry {
  path: string;
  size: number;
  mtimeMs: number;
  data?: Buffer;
}

/** Decode URL path segments; undefined if any is empty, '.', '..', or holds a separator or NUL. */
export function decodeSegments(parts: string[]): string[] | undefined {
  const out: string[] = [];
  for (const raw of parts) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s)) return undefined;
    out.push(s);
  }
  return out;
}

export class FileStore {
  readonly root: string;
  private realRoot: Promise<string>;
  private cache = new Map<string, FileEntry>();
  private cached = 0;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.realRoot = realpath(this.root).catch(() => this.root);
  }

  /** Whether an absolute path lies strictly inside the root (lexically). */
  inside(abs: string): boolean {
    return abs.startsWith(this.root + path.sep);
  }

  /** Absolute path of root-relative segments, or undefined when it would leave the root. */
  resolve(segments: string[]): string | undefined {
    const abs = path.resolve(this.root, ...segments);
    return this.inside(abs) ? abs : undefined;
  }

  /** Stat (and for small files, read) a regular file inside the root; undefined if absent. */
  async open(abs: string): Promise<FileEntry | undefined> {
    if (!this.inside(abs)) return undefined;
    let st;
    let real: string;
    try {
      [st, real] = await Promise.all([stat(abs), realpath(abs)]);
    } catch {
      return undefined;
    }
    const realRoot = await this.realRoot;
    if (!st.isFile() || !real.startsWith(realRoot + path.sep)) return undefined; // symlink escape
    const hit = this.cache.get(abs);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit;
    const entry: FileEntry = { path: abs, size: st.size, mtimeMs: st.mtimeMs };
    if (st.size <= CACHE_MAX_FILE) {
      try {
        entry.data = await readFile(abs);
      } catch {
        return undefined;
      }
      entry.size = entry.data.length;
      this.remember(entry, hit);
    }
    return entry;
  }

  private remember(entry: FileEntry, old: FileEntry | undefined): void {
    if (old?.data) this.cached -= old.data.length;
    if (this.cached + entry.size > CACHE_MAX_TOTAL) {
      this.cache.clear();
      this.cached = 0;
    }
    this.cache.set(entry.path, entry);
    this.cached += entry.size;
  }

  async readText(abs: string): Promise<{ text: string; entry: FileEntry } | undefined> {
    const entry = await this.open(abs);
    if (!entry) return undefined;
    const data = entry.data ?? (await readFile(abs));
    return { text: data.toString('utf8'), entry };
  }

  async listDir(absDir: string): Promise<string[]> {
    if (absDir !== this.root && !this.inside(absDir)) return [];
    try {
      return (await readdir(absDir)).sort();
    } catch {
      return [];
    }
  }
}

/** Bytes [start, end] (inclusive) of a file entry, in chunks of at most 64 KiB. */
export async function* readInterval(entry: FileEntry, start: number, end: number): AsyncGenerator<Buffer> {
  if (end < start) return;
  if (entry.data) {
    for (let p = start; p <= end; p += CHUNK) yield entry.data.subarray(p, Math.min(end + 1, p + CHUNK));
    return;
  }
  const stream = createReadStream(entry.path, { start, end, highWaterMark: CHUNK });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}
