import type { BrowserContext, Page } from 'puppeteer-core';
import { launchChromium, startOrigin, DEFAULT_MEDIA_ROOT, type LaunchedBrowser, type OriginStats } from '@shoal/test-kit';
import { startPageServer, type PageServer } from '../browser/page-server.js';
import { processUsage, rendererPids } from '../browser/process-stats.js';
import { startLocalTracker } from './local-tracker.js';
import { NodePeerGroup, type WorkerStats } from './node-group.js';
import { readMetrics, type PageMetrics } from './page-metrics.js';
import { probeStartups, type StartupProbes } from './startup-probes.js';
import { PageProfiler } from './page-profiler.js';
import type { CpuProfile } from '../results/cpu-profile.js';

export interface SwarmRunOptions {
  /** Chromium pages. */
  readonly peers: number;
  readonly mode: 'vod' | 'live';
  readonly durationS: number;
  /** Seconds between two viewers joining. */
  readonly staggerS: number;
  readonly p2p: boolean;
  /** Master playlist URL; default: the sample stream on the local origin. */
  readonly stream?: string;
  /** The page's player: hls.js (default) or Shaka Player, whose default stream is the sample's DASH manifest. */
  readonly player?: 'hlsjs' | 'shaka';
  /** A file of the local sample stream instead of its default manifest (e.g. master.m3u8 for HLS through Shaka). */
  readonly manifest?: string;
  /** Share of viewers (0..1) that leave at mid-run: the earliest joiners. */
  readonly churn?: number;
  /** Extra Shoal options / hls.js config for every page (Shoal options go to node peers too). */
  readonly shoalConfig?: Record<string, unknown>;
  readonly hlsConfig?: Record<string, unknown>;
  /** Headless node peers (the real engine in Node, a playhead model instead of a player); they join after the pages. */
  readonly nodePeers?: number;
  /** Worker processes the node peers are spread over (default: one per 10 peers, at most 8). */
  readonly nodeWorkers?: number;
  /** Variant node peers play: 'top' (default, where hls.js settles on loopback) or an hls.js level index. */
  readonly nodeLevel?: 'top' | number;
  /** ws:// URL of a running tracker; default: a local one started for the run. */
  readonly trackerUrl?: string;
  /** How to read (and reset) the origin's counters when `stream` points at an origin not started here. */
  readonly originCounter?: OriginCounter;
  /** After the measured run (its numbers frozen), this many pairs of startup probes (P2P runs only). */
  readonly startupProbes?: number;
  /** The stream's origin serves HTTPS with a self-signed certificate of this SPKI hash (base64 SHA-256): Chromium trusts it. */
  readonly trustSpki?: string;
  /** Every page's CPU runs this many times slower (Chromium's DevTools CPU throttling); default 1. */
  readonly cpuThrottle?: number;
  /** Record a V8 CPU profile of every page's main thread (returned as `profiles`). */
  readonly cpuProfile?: boolean;
  /** Called about once a second with every viewer's current metrics (departed ones: their last). */
  onTick?(elapsedS: number, pages: readonly PageSnapshot[]): void;
}

export interface OriginCounter {
  reset(): Promise<void>;
  read(): Promise<OriginStats>;
}

export interface PageSnapshot {
  readonly index: number;
  /** A Chromium page, or a node peer (metrics of the same shape, from the playhead model). */
  readonly kind?: 'page' | 'node';
  readonly joinedAtS: number;
  readonly closedAtS: number | undefined;
  readonly metrics: PageMetrics;
  /** JS heap of the page in MB, when Chromium reports it (node peers: their share of the worker's heap). */
  readonly heapMB: number | undefined;
  /** CPU seconds: the page's main-thread task time (node peers: their share of the worker's CPU). */
  readonly cpuS?: number | undefined;
  /** The page's renderer process (Linux): proportional memory (PSS) and CPU seconds of all its threads. */
  readonly processMB?: number | undefined;
  readonly processCpuS?: number | undefined;
}

export interface SwarmRunResult {
  readonly options: SwarmRunOptions;
  readonly pages: PageSnapshot[];
  /** What the origin served (undefined when --stream points elsewhere and no counter was given). */
  readonly origin: OriginStats | undefined;
  /** Seconds from the first join until the numbers were frozen (startup probes come after). */
  readonly elapsedS: number;
  readonly streamUrl: string;
  /** The node-peer worker processes at the end of the run. */
  readonly nodeProcesses?: WorkerStats[];
  readonly startupProbes?: StartupProbes;
  /** Pages' main-thread CPU profiles (with `cpuProfile`). */
  readonly profiles?: readonly { readonly index: number; readonly profile: CpuProfile }[];
}

interface Member {
  readonly index: number;
  readonly kind: 'page' | 'node';
  readonly joinedAtS: number;
  closedAtS?: number;
  last?: PageSnapshot;
  context?: BrowserContext;
  page?: Page;
  rendererPid?: number;
}

const TICK_MS = 1000;

/**
 * Plays one stream in N real Chromium pages (browser contexts of one browser) and M node peers
 * against a local origin and tracker, joining staggerS apart, for durationS; returns every
 * viewer's metrics. Every loop here is bounded by the duration; the run stops by itself.
 */
export async function runSwarm(options: SwarmRunOptions): Promise<SwarmRunResult> {
  const nodeCount = options.nodePeers ?? 0;
  const total = options.peers + nodeCount;
  const origin = options.stream ? undefined : await startOrigin({ root: DEFAULT_MEDIA_ROOT });
  const counter: OriginCounter | undefined = origin
    ? { reset: async () => origin.resetStats(), read: async () => origin.stats() }
    : options.originCounter;
  const tracker = options.trackerUrl ? undefined : await startLocalTracker();
  const trackerUrl = options.trackerUrl ?? tracker!.wsUrl;
  let pageServer: PageServer | undefined;
  let chromium: LaunchedBrowser | undefined;
  let nodes: NodePeerGroup | undefined;
  const manifest = options.manifest ?? (options.player === 'shaka' ? 'manifest.mpd' : 'master.m3u8');
  const streamUrl = options.stream ?? `${origin!.url}/${options.mode}/sample/${manifest}`;
  const playerPage = options.player === 'shaka' ? 'player-shaka.html' : 'player.html';
  const members: Member[] = [];
  const profilers = new Map<number, PageProfiler>();
  const profiles: { index: number; profile: CpuProfile }[] = [];
  const stopProfile = async (index: number) => {
    const profile = await profilers.get(index)?.stop();
    profilers.delete(index);
    if (profile) profiles.push({ index, profile });
  };
  let started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  try {
    if (options.peers > 0) {
      pageServer = await startPageServer();
      // No spare renderer kept ready: each new page's renderer is then the one process that appears.
      chromium = await launchChromium([
        '--disable-features=SpareRendererForSitePerProcess',
        ...(options.trustSpki ? [`--ignore-certificate-errors-spki-list=${options.trustSpki}`] : []),
      ]);
    }
    if (nodeCount > 0) {
      nodes = await NodePeerGroup.start({
        workers: options.nodeWorkers ?? Math.min(8, Math.ceil(nodeCount / 10)),
        streamUrl,
        trackerUrl: options.p2p ? trackerUrl : undefined,
        level: options.nodeLevel ?? 'top',
        shoalConfig: options.shoalConfig,
        maxLifetimeMs: (options.durationS + 120) * 1000,
      });
    }
    await counter?.reset();
    started = Date.now();
    const params = new URLSearchParams({ src: streamUrl, p2p: options.p2p ? '1' : '0', tracker: trackerUrl });
    if (tracker?.statsUrl) params.set('stats', tracker.statsUrl);
    if (options.shoalConfig) params.set('config', JSON.stringify(options.shoalConfig));
    if (options.hlsConfig) params.set('hls', JSON.stringify(options.hlsConfig));
    const snap = (m: Member) => snapshot(m, nodes);
    const churnCount = Math.floor((options.churn ?? 0) * total);
    const churnAtS = options.durationS / 2;
    let churned = false;
    const silentReported = new Set<number>();
    for (let tick = 0; elapsed() < options.durationS && tick < options.durationS * 4; tick++) {
      while (members.length < total && elapsed() >= members.length * options.staggerS) {
        const index = members.length;
        if (index < options.peers) {
          const renderersBefore = new Set(rendererPids(chromium!.pid));
          const context = await chromium!.browser.createBrowserContext();
          const page = await openPage(context, options.cpuThrottle);
          if (options.cpuProfile) profilers.set(index, await PageProfiler.start(page));
          const label = `[page ${index}]`;
          page.on('pageerror', (error) => console.error(`${label} ${(error as Error).message}`));
          if (process.env.SHOAL_PAGE_CONSOLE) page.on('console', (message) => console.error(`${label} ${message.text()}`));
          await page.goto(`${pageServer!.url}/${playerPage}?${params}`);
          const fresh = rendererPids(chromium!.pid).filter((pid) => !renderersBefore.has(pid));
          members.push({
            index,
            kind: 'page',
            context,
            page,
            joinedAtS: elapsed(),
            ...(fresh.length === 1 ? { rendererPid: fresh[0]! } : {}),
          });
        } else {
          nodes!.join(index);
          members.push({ index, kind: 'node', joinedAtS: elapsed() });
        }
      }
      if (!churned && churnCount > 0 && elapsed() >= churnAtS) {
        churned = true;
        // The earliest joiners leave: they hold the most, so this is the hard case for the rest.
        for (const member of members.slice(0, churnCount)) {
          member.last = await snap(member);
          if (member.kind === 'node') {
            const metrics = await nodes!.leave(member.index);
            if (metrics) member.last = { ...member.last, metrics };
          }
          member.closedAtS = elapsed();
          await stopProfile(member.index);
          await member.context?.close();
        }
      }
      for (const member of members) if (member.closedAtS === undefined) member.last = await snap(member);
      for (const worker of nodes?.silentWorkers(5000) ?? []) {
        if (!silentReported.has(worker))
          console.error(`node-peer worker ${worker} has not reported for 5 s: its peers are no longer measured`);
        silentReported.add(worker);
      }
      options.onTick?.(
        elapsed(),
        members.flatMap((m) => (m.last ? [{ ...m.last, closedAtS: m.closedAtS }] : [])),
      );
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    // Freeze the numbers in an order that keeps the origin's count and the viewers' in step: node
    // peers stop (reporting their final metrics), then the pages are read, then the origin.
    await nodes?.close();
    const nodeProcesses = nodes?.processStats();
    // All pages at once: a throttled page can take seconds to answer, and every page read one
    // after another would keep fetching while the others are read, bytes the origin then counts.
    const freezeStartS = elapsed();
    await Promise.all(
      members.map(async (member) => {
        if (member.closedAtS === undefined) member.last = await snap(member);
      }),
    );
    if (process.env.SHOAL_BENCH_DEBUG) console.error(`bench: final page reads took ${(elapsed() - freezeStartS).toFixed(2)} s`);
    const originStats = await counter?.read();
    await Promise.all([...profilers.keys()].map(stopProfile));
    // The run's length is up to here: probes come after its numbers are frozen.
    const elapsedS = elapsed();
    const probePairs = options.p2p && chromium ? (options.startupProbes ?? 0) : 0;
    const probes =
      probePairs > 0
        ? await probeStartups(
            (context) => openPage(context, options.cpuThrottle),
            chromium!.browser,
            (p2p) => `${pageServer!.url}/${playerPage}?${new URLSearchParams({ ...Object.fromEntries(params), p2p: p2p ? '1' : '0' })}`,
            probePairs,
          )
        : undefined;
    return {
      options,
      pages: members.flatMap((m) => (m.last ? [{ ...m.last, closedAtS: m.closedAtS }] : [])),
      origin: originStats,
      elapsedS,
      streamUrl,
      nodeProcesses,
      startupProbes: probes,
      profiles: profiles.sort((a, b) => a.index - b.index),
    };
  } finally {
    await nodes?.close();
    await chromium?.close();
    await pageServer?.close();
    await tracker?.close();
    await origin?.close();
  }
}

/** A new page, its CPU throttled (before it loads anything) when the run emulates a slow device. */
export async function openPage(context: BrowserContext, cpuThrottle = 1): Promise<Page> {
  const page = await context.newPage();
  if (cpuThrottle > 1) await page.emulateCPUThrottling(cpuThrottle);
  return page;
}

async function snapshot(member: Member, nodes: NodePeerGroup | undefined): Promise<PageSnapshot> {
  const base = { index: member.index, kind: member.kind, joinedAtS: member.joinedAtS, closedAtS: member.closedAtS };
  if (member.kind === 'node') {
    const share = nodes?.shareOf(member.index);
    return { ...base, metrics: nodes?.metrics(member.index) ?? emptyMetrics(), heapMB: share?.heapMB, cpuS: share?.cpuS };
  }
  const metrics = await readMetrics(member.page!);
  const perf = await member.page!.metrics().catch(() => undefined);
  const usage = member.rendererPid === undefined ? undefined : processUsage(member.rendererPid);
  return {
    ...base,
    metrics,
    heapMB: perf?.JSHeapUsedSize === undefined ? undefined : perf.JSHeapUsedSize / 1024 / 1024,
    cpuS: perf?.TaskDuration,
    processMB: usage?.pssMB,
    processCpuS: usage?.cpuS,
  };
}

function emptyMetrics(): PageMetrics {
  return {
    firstFrameMs: null,
    waiting: 0,
    bufferStalledErrors: 0,
    fatalErrors: [],
    errors: [],
    fragBytes: 0,
    fragCount: 0,
    levels: [],
    levelSwitches: [],
    latencyS: [],
    shoal: null,
  };
}
