/**
 * shoal-hash: writes the segment hash manifest Shoal viewers check peer bytes against.
 * Run through packages/core/bin/shoal-hash.js (`npx shoal-hash --help`).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { indexManifest, parseManifest, type SegmentManifest } from '../integrity/manifest.js';
import type { NumberRow } from '../options/index.js';
import {
  buildManifest,
  defaultOutput,
  HASH_OPTIONS,
  HashCache,
  serializeManifest,
  watchManifest,
  writeAtomically,
} from './hash-manifest.js';
import { HashError, resolveInput } from './stream-source.js';

export const USAGE = `Usage: shoal-hash <stream> [options]

Writes a SHA-256 hash of every media segment of every rendition of an HLS stream, so Shoal
viewers can check the segments other viewers send them. Serve the file next to the master
playlist as shoal-manifest.json (the SDK looks there), or point the SDK's manifestUrl at it.

  <stream>             a folder holding master.m3u8 (or index.m3u8), a .m3u8 file, or an
                       http(s):// URL of a master or media playlist

Options:
  -o, --out <file>     where to write; "-" for stdout
                       (default: shoal-manifest.json next to a local playlist, stdout for a URL)
  -w, --watch          live: keep running, hash segments as the packager adds them, rewrite
                       the manifest (atomically) whenever it changes; stop with Ctrl-C
      --interval <ms>  how often --watch looks at the playlists (default ${HASH_OPTIONS.intervalMs.default})
      --keep <n>       --watch: segments kept per rendition after they leave the playlist (default ${HASH_OPTIONS.keepExpired.default})
      --base <url>     write playlist references as absolute URLs under <url>
                       (default: relative to the master playlist, i.e. to where the manifest is served)
      --check <file>   do not write: compare the stream against an existing manifest;
                       exit 1 if a listed segment is missing from it or differs
  -q, --quiet          no progress messages on stderr
  -h, --help           this text
`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborts --watch (Ctrl-C in the real command). */
  signal?: AbortSignal;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs the command; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        watch: { type: 'boolean', short: 'w' },
        interval: { type: 'string' },
        keep: { type: 'string' },
        base: { type: 'string' },
        check: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr(`shoal-hash: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(`shoal-hash: expected one stream (folder, playlist file or URL), got ${positionals.length}\n\n${USAGE}`);
    return 2;
  }
  let intervalMs: number;
  let keepExpired: number;
  try {
    intervalMs = flagValue(HASH_OPTIONS.intervalMs, values.interval, '--interval');
    keepExpired = flagValue(HASH_OPTIONS.keepExpired, values.keep, '--keep');
  } catch (error) {
    io.stderr(`shoal-hash: ${(error as Error).message}\n`);
    return 2;
  }
  if (values.base !== undefined && !/^https?:\/\/[^/]/i.test(values.base)) {
    io.stderr(`shoal-hash: --base must be an http(s):// URL, got ${JSON.stringify(values.base)}\n`);
    return 2;
  }
  const log = (text: string) => {
    if (!values.quiet) io.stderr(`${text}\n`);
  };
  try {
    const masterUrl = await resolveInput(positionals[0]!);
    const base = values.base === undefined ? {} : { base: values.base.endsWith('/') ? values.base : `${values.base}/` };
    if (values.check !== undefined) return await check(masterUrl, values.check, base, io);
    const out = values.out ?? defaultOutput(masterUrl);
    const write = async (manifest: SegmentManifest, text: string) => {
      if (out === '-') io.stdout(text);
      else await writeAtomically(out, text);
      const count = manifest.renditions.reduce((n, r) => n + r.segments.length, 0);
      log(
        `shoal-hash: ${count} segments in ${manifest.renditions.length} renditions${manifest.live ? ' (live)' : ''} -> ${out === '-' ? 'stdout' : out}`,
      );
    };
    if (!values.watch) {
      const manifest = await buildManifest(masterUrl, base);
      await write(manifest, serializeManifest(manifest));
      return 0;
    }
    const controller = new AbortController();
    io.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const onSignal = () => controller.abort();
    if (!io.signal) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    log(`shoal-hash: watching ${masterUrl.href} every ${intervalMs} ms`);
    try {
      await watchManifest(masterUrl, {
        ...base,
        keepExpired,
        intervalMs,
        signal: controller.signal,
        cache: new HashCache(),
        onManifest: write,
        onError: (error) => log(`shoal-hash: ${error.message} (will retry)`),
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  } catch (error) {
    io.stderr(`shoal-hash: ${error instanceof HashError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    return 1;
  }
}

async function check(masterUrl: URL, manifestFile: string, base: { base?: string }, io: CliIo): Promise<number> {
  const parsed = parseManifest(
    await readFile(manifestFile, 'utf8').catch(() => {
      throw new HashError(`cannot read ${manifestFile}`);
    }),
  );
  if (!parsed.ok) throw new HashError(`${manifestFile}: ${parsed.error}`);
  const fresh = await buildManifest(masterUrl, base);
  // Compare by resolved lookup key, as a viewer would.
  const expected = indexManifest(parsed.manifest, masterUrl.href);
  const actual = indexManifest(fresh, masterUrl.href);
  const problems: string[] = [];
  for (const [key, fingerprint] of actual) {
    const listed = expected.get(key);
    if (!listed) problems.push(`missing from the manifest: ${key}`);
    else if (listed.sha256 !== fingerprint.sha256 || listed.size !== fingerprint.size) problems.push(`differs: ${key}`);
  }
  for (const line of problems.slice(0, 50)) io.stderr(`${line}\n`);
  if (problems.length > 50) io.stderr(`... and ${problems.length - 50} more\n`);
  io.stdout(`${actual.size - problems.length}/${actual.size} segments match ${manifestFile}\n`);
  return problems.length === 0 ? 0 : 1;
}

/** A numeric flag as its row checks it (a ShoalConfigError naming the flag), or the row's default. */
function flagValue(row: NumberRow, text: string | undefined, flag: string): number {
  if (text === undefined) return row.default;
  const n = Number(text);
  return row.parse(text.trim() !== '' && !Number.isNaN(n) ? n : text, flag); // a non-number is quoted as typed
}
