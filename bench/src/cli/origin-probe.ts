/**
 * The origin a run plays from: the bench's own (@shoal/test-kit origin) on a folder of streams, or a
 * loopback URL given with --stream. A Shoal origin elsewhere is recognised by its /stats.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MEDIA_ROOT, startOrigin, makeSelfSignedCert, type Origin, type OriginStats } from '@shoal/test-kit';
import type { OriginCounter } from '../run/swarm-run.js';
import type { StreamChoice } from './args.js';

export interface RunOrigin {
  /** Master (or media) playlist URL the viewers play. */
  readonly streamUrl: string;
  /** Reads and resets the origin's counters; undefined when the origin does not expose them. */
  readonly counter: OriginCounter | undefined;
  /** HTTPS origin: the SPKI hash (base64 SHA-256) of its self-signed certificate, for Chromium to trust. */
  readonly trustSpki?: string;
  close(): Promise<void>;
}

export interface OriginChoice {
  /** Serve HTTPS with a self-signed certificate made for the run. */
  readonly https?: boolean;
  /** Segments in the live playlist (the bench's own origin). */
  readonly liveWindow?: number;
}

export async function prepareOrigin(choice: StreamChoice, mode: 'vod' | 'live', opts: OriginChoice = {}): Promise<RunOrigin> {
  if (choice.kind === 'url') {
    return { streamUrl: choice.url, counter: await remoteCounter(choice.url), close: async () => {} };
  }
  const root = path.resolve(choice.root ?? DEFAULT_MEDIA_ROOT);
  const file = /\.(m3u8|mpd)$/.test(choice.name) ? choice.name : `${choice.name}/master.m3u8`;
  // A DASH manifest is rendered by the origin from the master playlist beside it (kit/src/origin/mpd-route.ts).
  const hls = file.endsWith('.mpd') ? path.join(path.dirname(file), 'master.m3u8') : file;
  if (!existsSync(path.join(root, hls)) && !existsSync(path.join(root, file))) {
    throw new Error(`no ${file} under ${root}: --stream names a folder with a master.m3u8 (or a playlist path) under --media`);
  }
  const cert = opts.https ? makeSelfSignedCert() : undefined;
  const origin: Origin = await startOrigin({ root, liveWindow: opts.liveWindow, tls: cert });
  return {
    streamUrl: `${origin.url}/${mode}/${file}`,
    trustSpki: cert?.spkiSha256,
    counter: { reset: async () => origin.resetStats(), read: async () => origin.stats() },
    close: () => origin.close(),
  };
}

async function remoteCounter(streamUrl: string): Promise<OriginCounter | undefined> {
  const base = new URL(streamUrl).origin;
  const read = async (): Promise<OriginStats> => {
    const response = await fetch(`${base}/stats`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`GET ${base}/stats: HTTP ${response.status}`);
    return (await response.json()) as OriginStats;
  };
  try {
    const stats = await read();
    if (typeof stats?.byKind?.segment?.bytes !== 'number') return undefined;
  } catch {
    return undefined;
  }
  return {
    read,
    reset: async () => {
      const response = await fetch(`${base}/stats/reset`, { method: 'POST', signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`POST ${base}/stats/reset: HTTP ${response.status}`);
    },
  };
}
