/**
 * `npm run sim` flags: one table from which parsing, defaults and --help derive.
 */
import { NETWORKS, parseUplink, type NetworkName } from './net-model.js';

type Flag<T> = { readonly doc: string; readonly default: string; readonly parse: (text: string) => T };

const positiveInts = (name: string) => (text: string) =>
  text.split(',').map((part) => {
    const n = Number(part);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} ${text}: expected positive integers, comma-separated`);
    return n;
  });
const nonNegative = (name: string) => (text: string) => {
  const n = Number(text);
  if (!(n >= 0)) throw new Error(`--${name} ${text}: expected a number >= 0`);
  return n;
};
const oneOf =
  <T extends string>(name: string, values: readonly T[]) =>
  (text: string): T => {
    if (!values.includes(text as T)) throw new Error(`--${name} ${text}: expected one of ${values.join(', ')}`);
    return text as T;
  };

export const SIM_FLAGS = {
  viewers: { doc: 'Audience size; several (comma-separated) run one after the other', default: '100', parse: positiveInts('viewers') },
  mode: { doc: 'live or vod', default: 'live', parse: oneOf('mode', ['live', 'vod'] as const) },
  duration: { doc: 'Simulated seconds', default: '120', parse: nonNegative('duration') },
  seed: { doc: 'Random seed (a run is deterministic for a seed)', default: '1', parse: (t: string) => Math.floor(nonNegative('seed')(t)) },
  net: {
    doc: 'Network model: residential or loopback (one machine, as the real bench)',
    default: 'residential',
    parse: oneOf('net', Object.keys(NETWORKS) as NetworkName[]),
  },
  uplink: {
    doc: "Uplink mix in bitrate multiples: residential, fixed:X, or share@X,... (default: the network's)",
    default: '',
    parse: (t: string) => (t === '' ? undefined : { text: t, tiers: parseUplink(t) }),
  },
  churn: {
    doc: 'Departures per viewer per minute (0.2 = stays 5 min on average); each brings a new arrival',
    default: '0',
    parse: nonNegative('churn'),
  },
  'tracker-outage': {
    doc: 'START:LEN seconds the tracker is down (it comes back empty)',
    default: '',
    parse: (t: string) => {
      if (t === '') return undefined;
      const [startS, lenS] = t.split(':').map(Number);
      if (!(startS! >= 0) || !(lenS! > 0)) throw new Error(`--tracker-outage ${t}: expected START:LEN in seconds`);
      return { startS: startS!, lenS: lenS! };
    },
  },
  p2p: { doc: 'on, off, or both (P2P off first, for the baseline)', default: 'on', parse: oneOf('p2p', ['on', 'off', 'both'] as const) },
  ramp: { doc: 'Seconds over which the first N viewers arrive (Poisson)', default: '30', parse: nonNegative('ramp') },
  stagger: {
    doc: 'Instead of --ramp: one viewer every S seconds, as the real bench',
    default: '',
    parse: (t: string) => (t === '' ? undefined : nonNegative('stagger')(t)),
  },
  bitrate: { doc: 'Stream bitrate, bits/s', default: '2000000', parse: nonNegative('bitrate') },
  'segment-s': { doc: 'Segment duration, s', default: '2', parse: nonNegative('segment-s') },
  segments: {
    doc: 'Live: playlist window; VOD: segments in the stream',
    default: '',
    parse: (t: string) => (t === '' ? undefined : positiveInts('segments')(t)[0]),
  },
  out: { doc: 'Directory for result.json and report.html', default: 'bench/out/sim', parse: (t: string) => t },
} satisfies Record<string, Flag<unknown>>;

export type SimFlags = { readonly [K in keyof typeof SIM_FLAGS]: ReturnType<(typeof SIM_FLAGS)[K]['parse']> };

export function parseSimFlags(argv: readonly string[]): SimFlags | 'help' {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!(name in SIM_FLAGS)) throw new Error(`unknown flag --${name} (see --help)`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    values.set(name, value);
  }
  const out: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(SIM_FLAGS)) out[name] = (flag as Flag<unknown>).parse(values.get(name) ?? flag.default);
  return out as SimFlags;
}

export function simHelp(): string {
  const rows = Object.entries(SIM_FLAGS).map(([name, f]) => `  --${name.padEnd(15)} ${f.doc}${f.default ? ` (default ${f.default})` : ''}`);
  return `npm run sim -- [flags]\n\n${rows.join('\n')}\n`;
}
