/**
 * The network the simulated viewers live on, as pure functions of a seed: each viewer's uplink,
 * downlink and access latency, each pair's round trip, whether a pair can connect at all, and
 * the origin. Distributions are in units of the stream's bitrate, because what matters for P2P
 * is how many copies of the stream a viewer's uplink can carry.
 */
import { hashUnit, type Rng } from './rng.js';

/** One tier of a mix: a share of viewers whose uplink carries `uplinkX` times the bitrate. */
export interface UplinkTier {
  readonly share: number;
  readonly uplinkX: number;
}

/**
 * The default residential mix. Its shape follows the FCC's Measuring Broadband America fixed
 * report (2023): uplinks are a small fraction of downlinks on DSL and cable, most households sit
 * on the lower tiers and a minority on symmetric fibre (roughly 30 / 40 / 20 / 10 % from DSL and
 * congested Wi-Fi to fibre). Its scale is the stress case: a mean uplink of 1.5x the
 * bitrate, so almost a third of the viewers cannot upload one copy of the stream at all.
 */
export const RESIDENTIAL: readonly UplinkTier[] = [
  { share: 0.3, uplinkX: 0.25 },
  { share: 0.4, uplinkX: 1 },
  { share: 0.2, uplinkX: 2 },
  { share: 0.1, uplinkX: 6.25 },
];

export interface NetworkModel {
  readonly name: string;
  readonly uplink: readonly UplinkTier[];
  /** Downlink, times the uplink, at least `minDownlinkX` times the bitrate. */
  readonly downlinkPerUplink: number;
  readonly minDownlinkX: number;
  /** One-way latency of a viewer's access link, uniform in [min, max] ms. */
  readonly accessMs: readonly [number, number];
  /** One-way distance between two viewers, uniform in [0, max] ms per pair. */
  readonly pairDistanceMs: number;
  /** Frame delay jitter, a share of the one-way latency. */
  readonly jitter: number;
  /** Share of pairs that cannot connect (symmetric NATs without a relay). */
  readonly unconnectable: number;
  /** Share of frames lost once (the reliable channel resends them a round trip later). */
  readonly loss: number;
  /** The origin: time to first byte and bandwidth per request (bits/s). */
  readonly originLatencyMs: number;
  readonly originBps: number;
  /** One way to the tracker. */
  readonly trackerMs: number;
  /** ICE and DTLS: round trips between the answer and an open data channel. */
  readonly setupRoundTrips: number;
}

export const NETWORKS = {
  residential: {
    name: 'residential',
    uplink: RESIDENTIAL,
    downlinkPerUplink: 8,
    minDownlinkX: 3,
    accessMs: [5, 30],
    pairDistanceMs: 60,
    jitter: 0.1,
    unconnectable: 0.1,
    loss: 0.005,
    originLatencyMs: 40,
    originBps: 50e6,
    trackerMs: 30,
    setupRoundTrips: 3,
  },
  // One machine, as the real bench: everything is near and fast; calibrates against it.
  loopback: {
    name: 'loopback',
    uplink: [{ share: 1, uplinkX: 100 }],
    downlinkPerUplink: 1,
    minDownlinkX: 100,
    accessMs: [0.5, 1],
    pairDistanceMs: 0,
    jitter: 0,
    unconnectable: 0,
    loss: 0,
    originLatencyMs: 3,
    originBps: 400e6,
    trackerMs: 1,
    setupRoundTrips: 3,
  },
} satisfies Record<string, NetworkModel>;

export type NetworkName = keyof typeof NETWORKS;

/**
 * `--uplink`: a named mix (residential), `fixed:X` (every viewer X times the bitrate) or a list of
 * tiers `share@X,share@X,...` (shares are normalised).
 */
export function parseUplink(text: string): readonly UplinkTier[] {
  if (text === 'residential') return RESIDENTIAL;
  if (text.startsWith('fixed:')) {
    const x = Number(text.slice(6));
    if (!(x > 0)) throw new Error(`--uplink ${text}: expected fixed:X with X > 0`);
    return [{ share: 1, uplinkX: x }];
  }
  const tiers = text.split(',').map((part) => {
    const [share, x] = part.split('@').map(Number);
    if (!(share! > 0) || !(x! > 0)) throw new Error(`--uplink ${text}: expected residential, fixed:X or share@X,...`);
    return { share: share!, uplinkX: x! };
  });
  const total = tiers.reduce((sum, t) => sum + t.share, 0);
  return tiers.map((t) => ({ share: t.share / total, uplinkX: t.uplinkX }));
}

export function meanUplinkX(tiers: readonly UplinkTier[]): number {
  return tiers.reduce((sum, t) => sum + t.share * t.uplinkX, 0);
}

export interface ViewerLink {
  readonly uplinkBps: number;
  readonly downlinkBps: number;
  readonly accessMs: number;
}

export function drawViewerLink(rng: Rng, net: NetworkModel, bitrate: number): ViewerLink {
  let u = rng();
  let tier = net.uplink[net.uplink.length - 1]!;
  for (const t of net.uplink) {
    if (u < t.share) {
      tier = t;
      break;
    }
    u -= t.share;
  }
  const uplinkBps = tier.uplinkX * bitrate;
  const downlinkBps = Math.max(net.minDownlinkX * bitrate, net.downlinkPerUplink * uplinkBps);
  const [lo, hi] = net.accessMs;
  return { uplinkBps, downlinkBps, accessMs: lo + rng() * (hi - lo) };
}

/** Whether two viewers can ever connect: the same answer from both ends, for a given seed. */
export function pairConnects(seed: number, a: string, b: string, net: NetworkModel): boolean {
  return hashUnit(`${seed}|c|${a < b ? a + b : b + a}`) >= net.unconnectable;
}

/** One-way latency between two viewers, without jitter. */
export function pairOneWayMs(seed: number, a: ViewerLink & { id: string }, b: ViewerLink & { id: string }, net: NetworkModel): number {
  const distance = hashUnit(`${seed}|d|${a.id < b.id ? a.id + b.id : b.id + a.id}`) * net.pairDistanceMs;
  return a.accessMs + b.accessMs + distance;
}

/**
 * What the swarm could offload at best given its uplinks: every viewer but the first copy must be
 * carried by someone's uplink, and no uplink carries more than it has. 1 - 1/N when uplinks are
 * plenty; total uplink / (total demand) when they are not.
 */
export function capacityOffloadLimit(viewers: number, meanUplink: number): number {
  if (viewers <= 0) return 0;
  const byCopies = 1 - 1 / viewers;
  return Math.min(byCopies, meanUplink);
}
