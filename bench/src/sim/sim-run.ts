/**
 * One simulated swarm: viewers arrive (a ramp, or a Poisson process that keeps the audience near
 * N when viewers leave), each runs the real engine over the modelled network, and the run ends
 * after `durationS` of simulated time with a summary. Deterministic for a seed: every random draw
 * comes from the seeded stream, the tracker's own Math.random picks included.
 */
import type { EngineConfig, PeerTransport } from '@shoal/core';
import { drawViewerLink, meanUplinkX, pairConnects, pairOneWayMs, type NetworkModel, type ViewerLink } from './net-model.js';
import { exponential, seededRng } from './rng.js';
import { SimClock } from './sim-clock.js';
import { connectPair, Pipe, type LinkEnd } from './sim-link.js';
import { summarize, type SimSummary } from './sim-metrics.js';
import { SimOrigin } from './sim-origin.js';
import { SimStream, type StreamSpec } from './sim-stream.js';
import { SimTracker } from './sim-tracker.js';
import { SimViewer, type ViewerResult } from './sim-viewer.js';

export interface SimOptions {
  readonly viewers: number;
  readonly durationS: number;
  readonly seed: number;
  readonly stream: StreamSpec;
  readonly network: NetworkModel;
  readonly p2p: boolean;
  /** Seconds over which the first N viewers arrive (Poisson); with `staggerS`, one every staggerS instead. */
  readonly rampS: number;
  readonly staggerS?: number;
  /** Departures per viewer per minute (0: everyone stays); each departure brings a new arrival. */
  readonly churnPerMin: number;
  /** The tracker is down from start for len seconds (it comes back empty). */
  readonly trackerOutage?: { readonly startS: number; readonly lenS: number };
  readonly engine?: Partial<EngineConfig>;
  /** Called with each viewer as it arrives (to watch its engine's events). */
  readonly onViewer?: (viewer: SimViewer) => void;
  /** Called every simulated second. */
  readonly onProgress?: (simS: number, viewers: number) => void;
}

export interface SimTimeline {
  /** Simulated second, viewers present, stalls so far (all viewers), origin bytes so far. */
  readonly points: Array<{ s: number; viewers: number; stalls: number; originBytes: number }>;
}

export interface SimRun {
  readonly summary: SimSummary;
  readonly timeline: SimTimeline;
  readonly viewers: readonly ViewerResult[];
  readonly meanUplinkX: number;
  readonly timersRun: number;
}

interface Present {
  readonly viewer: SimViewer;
  readonly link: ViewerLink & LinkEnd;
}

export async function runSim(options: SimOptions): Promise<SimRun> {
  const randomBefore = Math.random;
  const rng = seededRng(options.seed);
  Math.random = seededRng(options.seed ^ 0x5eed);
  try {
    return await simulate(options, rng);
  } finally {
    Math.random = randomBefore;
  }
}

async function simulate(options: SimOptions, rng: () => number): Promise<SimRun> {
  const { network: net, seed } = options;
  const clock = new SimClock();
  const stream = new SimStream(options.stream);
  const origin = new SimOrigin(clock, stream, net.originLatencyMs, net.originBps / 8000);
  const links = new Map<string, ViewerLink & LinkEnd>();
  const pairs = {
    connects: (a: string, b: string) => pairConnects(seed, a, b, net),
    setupMs: (a: string, b: string) => net.setupRoundTrips * 2 * pairOneWayMs(seed, links.get(a)!, links.get(b)!, net),
    open: (a: string, b: string): [PeerTransport, PeerTransport] => {
      const la = links.get(a)!;
      const lb = links.get(b)!;
      return connectPair(clock, rng, la, lb, { oneWayMs: pairOneWayMs(seed, la, lb, net), jitter: net.jitter, loss: net.loss });
    },
  };
  const tracker = new SimTracker(clock, net.trackerMs, pairs, rng);
  const present = new Map<string, Present>();
  const finished: ViewerResult[] = [];
  const uplinkBps = new Map<string, number>();
  const swarmId = 'sim-swarm';
  let nextId = 0;

  const arrive = (): void => {
    const id =
      (nextId++).toString(16).padStart(8, '0') +
      Math.floor(rng() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    const drawn = drawViewerLink(rng, net, options.stream.bitrate);
    const link = { ...drawn, id, up: new Pipe(clock, drawn.uplinkBps / 8000), down: new Pipe(clock, drawn.downlinkBps / 8000) };
    links.set(id, link);
    uplinkBps.set(id, drawn.uplinkBps);
    const viewer = new SimViewer({
      clock,
      stream,
      origin,
      http: origin.client(link.down),
      peerId: id,
      directory: options.p2p ? tracker.directory(id) : undefined,
      swarmId,
      config: options.engine ?? {},
    });
    present.set(id, { viewer, link });
    options.onViewer?.(viewer);
    void viewer.start();
    if (options.churnPerMin > 0) clock.setTimeout(() => leave(id), exponential(rng, 60_000 / options.churnPerMin));
  };
  const leave = (id: string): void => {
    const p = present.get(id);
    if (!p) return;
    p.viewer.stop();
    finished.push(p.viewer.result());
    present.delete(id);
    links.delete(id);
    // The audience stays near N: someone else tunes in (Poisson, at the rate viewers leave).
    clock.setTimeout(arrive, exponential(rng, 1000));
  };

  let at = 0;
  for (let i = 0; i < options.viewers; i++) {
    at = options.staggerS !== undefined ? i * options.staggerS * 1000 : at + exponential(rng, (options.rampS * 1000) / options.viewers);
    clock.setTimeout(arrive, at);
  }
  if (options.trackerOutage) {
    const { startS, lenS } = options.trackerOutage;
    clock.setTimeout(() => tracker.outage(lenS * 1000), startS * 1000);
  }

  const timeline: SimTimeline = { points: [] };
  const endMs = options.durationS * 1000;
  for (let s = 1; s * 1000 <= endMs; s++) {
    await clock.runUntil(s * 1000);
    options.onProgress?.(s, present.size);
    if (s % 5 === 0) {
      let stalls = finished.reduce((sum, r) => sum + r.stalls, 0);
      for (const p of present.values()) stalls += p.viewer.stallsNow();
      timeline.points.push({ s, viewers: present.size, stalls, originBytes: origin.servedBytes });
    }
  }
  for (const p of present.values()) finished.push(p.viewer.result());
  for (const p of present.values()) p.viewer.stop();
  const summary = summarize({ results: finished, fetchesBySeq: origin.fetchesBySeq, uplinkBps, bitrate: options.stream.bitrate, endMs });
  return { summary, timeline, viewers: finished, meanUplinkX: meanUplinkX(net.uplink), timersRun: clock.fired };
}
