/** Command line of `npm run bench`: flags, defaults, limits and --help. Pure (unit-tested). */
import { parseArgs } from 'node:util';
import { CI_WORKLOAD } from '../results/thresholds.js';

export const HELP = `Shoal bench: how much origin traffic does Shoal save, and does it hurt playback?

Usage: npm run bench -- [options]

Workload
  --peers N          Chromium pages (browser contexts of one Chromium), 0-32 (default 8;
                     0 when --node-peers is given). Past ~8-16 pages this machine's CPU, not
                     Shoal, sets the result: use --node-peers for bigger swarms
  --node-peers N     headless node peers: Shoal's engine in Node (WebRTC via @roamhq/wrtc)
                     with a playhead model instead of a player, 0-500 (default 0).
                     Mixed runs are fine: pages join first, then node peers
  --node-workers N   processes the node peers are spread over (default: 1 per 10 peers, max 8)
  --node-level L     variant node peers play: top (default) or an hls.js level index
  --player P         the pages' player: hlsjs (default) or shaka (Shaka Player; --stream
                     may then name a DASH manifest, e.g. sample/manifest.mpd)
  --mode live|vod    live: the stream as a looping live window; vod: played from the start
                     (default live)
  --duration S       seconds the run lasts, 5-3600 (default 120)
  --stagger S        seconds between two viewers joining, 0-60 (default 3)
  --churn F          share of viewers (0-1) that leave at mid-run, earliest joiners first
                     (default 0)
  --startup-probes K after a P2P run, K pairs of probe pages join the running swarm one at
                     a time, HTTP only and P2P in turn: startup compared under the same load
                     (default 0)
  --no-p2p           HTTP only: the baseline (Shoal still counts bytes)
  --compare          run the workload twice, P2P off then on, and report both with ratios
  --cpu-throttle R   slow every page's CPU R times (Chromium's DevTools CPU throttling),
                     1-20 (default 1: none): a low-end device with few pages. Applies to
                     P2P-off, P2P-on and probe pages alike
  --cpu-profile      record a V8 CPU profile of every page's main thread: cpu-profile.json
                     says per run how much went to Shoal, hls.js, the page, GC; the raw
                     profiles (profiles/*.cpuprofile) open in DevTools

Stream, origin, tracker (loopback only)
  --stream S         a stream folder under --media served by the bench's own origin
                     (default: sample), or a loopback http:// URL of a master or media
                     playlist served elsewhere. A Shoal origin (@shoal/test-kit origin) is
                     detected by its /stats and its counters are used; for any other server
                     offload is measured from the SDK only
  --media DIR        folder of stream folders for the bench's origin (default kit/media)
  --tracker URL      ws:// tracker to use (default: one started for the run)
  --live-window N    segments in the live playlist of the bench's origin, 3-60 (default 6)
  --https            the bench's origin serves HTTPS (a self-signed certificate made for the
                     run, which the bench's Chromium trusts), as a real CDN does: TLS costs
                     the HTTP baseline CPU too, as DTLS does P2P

Tuning
  --shoal-config J   JSON of Shoal options for every viewer, e.g. '{"maxPeers":6}'
  --hls-config J     JSON of hls.js settings for every page

Output
  --out DIR          where result.json and report.html go
                     (default bench/out/<timestamp>-<mode>-<peers>)
  --ci               the regression run: ${CI_WORKLOAD.pages} pages, ${CI_WORKLOAD.mode}, ${CI_WORKLOAD.durationS} s, stagger ${CI_WORKLOAD.staggerS} s,
                     checked against bench/src/results/thresholds.ts (exit 1 on a breach).
                     Takes no workload flags
  -h, --help         this help

Exit code: 0 ok; 1 a measurement check failed (SDK and origin offload more than 2 points
apart) or a --ci threshold was breached; 2 bad arguments.
`;

export type StreamChoice =
  { readonly kind: 'url'; readonly url: string } | { readonly kind: 'local'; readonly name: string; readonly root: string | undefined };

export interface BenchArgs {
  readonly pages: number;
  readonly nodePeers: number;
  readonly nodeWorkers: number | undefined;
  readonly nodeLevel: 'top' | number;
  readonly mode: 'vod' | 'live';
  readonly player: 'hlsjs' | 'shaka';
  readonly durationS: number;
  readonly staggerS: number;
  readonly churn: number;
  /** Pairs of startup probes (HTTP only / P2P) after a P2P run. */
  readonly startupProbes: number;
  /** Chromium CPU slowdown factor for every page (1: none). */
  readonly cpuThrottle: number;
  /** Record a CPU profile of every page's main thread. */
  readonly cpuProfile: boolean;
  /** Serve the bench's origin over HTTPS. */
  readonly https: boolean;
  /** Segments in the live playlist of the bench's own origin. */
  readonly liveWindow: number;
  readonly p2p: boolean;
  readonly compare: boolean;
  readonly ci: boolean;
  readonly stream: StreamChoice;
  readonly tracker: string | undefined;
  readonly outDir: string | undefined;
  readonly shoalConfig: Record<string, unknown> | undefined;
  readonly hlsConfig: Record<string, unknown> | undefined;
}

export class ArgsError extends Error {
  override readonly name = 'ArgsError';
}

const OPTIONS = {
  peers: { type: 'string' },
  'node-peers': { type: 'string' },
  'node-workers': { type: 'string' },
  'node-level': { type: 'string' },
  mode: { type: 'string' },
  player: { type: 'string' },
  duration: { type: 'string' },
  stagger: { type: 'string' },
  churn: { type: 'string' },
  'startup-probes': { type: 'string' },
  'cpu-throttle': { type: 'string' },
  'cpu-profile': { type: 'boolean' },
  https: { type: 'boolean' },
  'live-window': { type: 'string' },
  'no-p2p': { type: 'boolean' },
  compare: { type: 'boolean' },
  stream: { type: 'string' },
  media: { type: 'string' },
  tracker: { type: 'string' },
  'shoal-config': { type: 'string' },
  'hls-config': { type: 'string' },
  out: { type: 'string' },
  ci: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const WORKLOAD_FLAGS = [
  'peers',
  'node-peers',
  'mode',
  'player',
  'duration',
  'stagger',
  'churn',
  'startup-probes',
  'cpu-throttle',
  'https',
  'live-window',
  'no-p2p',
  'compare',
  'stream',
  'media',
  'shoal-config',
  'hls-config',
] as const;

export function parseBenchArgs(argv: readonly string[]): { help: true } | { help: false; args: BenchArgs } {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new ArgsError((error as Error).message);
  }
  if (values.help) return { help: true };
  if (values.ci) {
    const extra = WORKLOAD_FLAGS.filter((flag) => values[flag] !== undefined);
    if (extra.length) throw new ArgsError(`--ci runs a fixed workload; drop ${extra.map((f) => `--${f}`).join(', ')}`);
  }
  const nodePeers = int(values['node-peers'], 'node-peers', 0, 0, 500);
  const pages = values.ci ? CI_WORKLOAD.pages : int(values.peers, 'peers', nodePeers > 0 ? 0 : 8, 0, 32);
  if (pages + nodePeers === 0) throw new ArgsError('nothing to run: --peers and --node-peers are both 0');
  const mode = values.ci ? CI_WORKLOAD.mode : (values.mode ?? 'live');
  if (mode !== 'live' && mode !== 'vod') throw new ArgsError(`--mode must be live or vod, got ${mode}`);
  const player = values.player ?? 'hlsjs';
  if (player !== 'hlsjs' && player !== 'shaka') throw new ArgsError(`--player must be hlsjs or shaka, got ${player}`);
  const level = values['node-level'] ?? 'top';
  const nodeLevel = level === 'top' ? 'top' : int(level, 'node-level', 0, 0, 64);
  const stream = streamChoice(values.stream, values.media);
  if (values.https && stream.kind === 'url')
    throw new ArgsError("--https makes the bench's own origin serve HTTPS; it does not go with a --stream URL");
  if (values.https && nodePeers > 0)
    throw new ArgsError(
      "--https is for Chromium pages: node peers fetch with Node, which does not trust the run's certificate; drop --node-peers or --https",
    );
  if (values['live-window'] !== undefined && stream.kind === 'url')
    throw new ArgsError("--live-window sets the bench's own origin; it does not go with a --stream URL");
  const cpuThrottle = num(values['cpu-throttle'], 'cpu-throttle', 1, 1, 20);
  if (cpuThrottle > 1 && pages === 0)
    throw new ArgsError('--cpu-throttle slows Chromium pages; add --peers (node peers are not throttled)');
  const tracker = values.tracker;
  if (tracker !== undefined) checkLoopback(tracker, 'tracker', ['ws:']);
  return {
    help: false,
    args: {
      pages,
      nodePeers,
      nodeWorkers: values['node-workers'] === undefined ? undefined : int(values['node-workers'], 'node-workers', 1, 1, 8),
      nodeLevel,
      mode,
      player,
      durationS: values.ci ? CI_WORKLOAD.durationS : num(values.duration, 'duration', 120, 5, 3600),
      staggerS: values.ci ? CI_WORKLOAD.staggerS : num(values.stagger, 'stagger', 3, 0, 60),
      churn: num(values.churn, 'churn', 0, 0, 1),
      startupProbes: int(values['startup-probes'], 'startup-probes', 0, 0, 50),
      cpuThrottle,
      cpuProfile: Boolean(values['cpu-profile']),
      https: Boolean(values.https),
      liveWindow: int(values['live-window'], 'live-window', 6, 3, 60),
      p2p: !values['no-p2p'],
      compare: Boolean(values.compare),
      ci: Boolean(values.ci),
      stream,
      tracker,
      outDir: values.out,
      shoalConfig: json(values['shoal-config'], 'shoal-config'),
      hlsConfig: json(values['hls-config'], 'hls-config'),
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
}

function num(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new ArgsError(`--${name} must be a number from ${min} to ${max}, got ${value}`);
  return n;
}

function int(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  const n = num(value, name, fallback, min, max);
  if (!Number.isInteger(n)) throw new ArgsError(`--${name} must be a whole number, got ${value}`);
  return n;
}

function json(value: string | undefined, name: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new ArgsError(`--${name} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ArgsError(`--${name} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

function streamChoice(stream: string | undefined, media: string | undefined): StreamChoice {
  if (stream !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(stream)) {
    if (media !== undefined) throw new ArgsError('--media serves local stream folders; it does not go with a --stream URL');
    checkLoopback(stream, 'stream', ['http:']);
    return { kind: 'url', url: stream };
  }
  const name = stream ?? 'sample';
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(name) || name.split('/').includes('..'))
    throw new ArgsError(`--stream must be a folder name under --media or an http:// URL, got ${name}`);
  return { kind: 'local', name, root: media };
}

/** The bench only ever talks to this machine. */
export function checkLoopback(value: string, name: string, protocols: readonly string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ArgsError(`--${name} is not a URL: ${value}`);
  }
  if (!protocols.includes(url.protocol)) throw new ArgsError(`--${name} must be a ${protocols.join(' or ')}// URL, got ${value}`);
  if (!isLoopbackHost(url.hostname))
    throw new ArgsError(`--${name} must point at this machine (127.0.0.1, localhost or [::1]), got ${url.hostname}`);
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
