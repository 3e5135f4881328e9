/**
 * The stats side of one tracker: aggregates and series (store.ts), the ingestion rules checked
 * against the swarm registry (ingest.ts), each report's result by code (for /metrics), and the
 * state file (persist.ts): restored at start, saved at stop.
 */
import type { TrackerConfig } from '../config/fields.js';
import type { Logger } from '../logger.js';
import type { Registry } from '../swarm/registry.js';
import { nowMs } from '../ws/connection.js';
import { StatsIngest, type IngestResult } from './ingest.js';
import { loadState, saveState } from './persist.js';
import type { StatsReport } from './report.js';
import { StatsStore } from './store.js';

export type StatsConfig = Pick<
  TrackerConfig,
  | 'statsHistory'
  | 'statsMaxSwarms'
  | 'statsIntervalMs'
  | 'statsMaxBytesPerSecond'
  | 'statsMaxSessions'
  | 'statsMaxSessionsPerIp'
  | 'statsMemberGraceMs'
  | 'maxPeersPerSwarm'
  | 'stateFile'
>;

export class StatsService {
  readonly store: StatsStore;
  readonly ingest: StatsIngest;
  /** Reports by result: 'accepted' or the refusal code. */
  readonly results = new Map<string, number>();

  constructor(
    private readonly cfg: StatsConfig,
    private readonly registry: Registry,
    private readonly log: Logger,
  ) {
    this.store = new StatsStore(cfg.statsHistory, Math.max(2, Math.floor(cfg.statsHistory / 6)), cfg.statsMaxSwarms, cfg.statsIntervalMs);
    const memberOf = (swarm: string, peer: string) => {
      const now = nowMs();
      const m = registry.memberInfo(swarm, peer, now);
      return (
        m && {
          ip: m.ip,
          present: m.present,
          sinceMs: now - m.joinedAt,
          connectionLifeMs: m.allowance.lifeMs(now),
          spent: m.allowance.spent,
        }
      );
    };
    this.ingest = new StatsIngest(memberOf, this.store, {
      maxBytesPerSecond: cfg.statsMaxBytesPerSecond,
      maxSessions: cfg.statsMaxSessions,
      maxSessionsPerIp: cfg.statsMaxSessionsPerIp,
      maxPeers: cfg.maxPeersPerSwarm,
      graceMs: cfg.statsMemberGraceMs,
    });
  }

  /** Loads the state file, when one is configured and exists; throws on a corrupt one. */
  restore(wallNow: number): void {
    if (this.cfg.stateFile !== '' && loadState(this.cfg.stateFile, this.store, this.ingest, wallNow))
      this.log.info({ stateFile: this.cfg.stateFile }, 'stats state loaded');
  }

  accept(report: StatsReport, ip: string, wallNow: number): IngestResult {
    const r = this.ingest.accept(report, ip, wallNow);
    this.count(r.ok ? 'accepted' : r.code);
    return r;
  }

  /** A report refused before ingestion (size, rate, parse). */
  refused(code: string): void {
    this.count(code);
  }

  /** One point of the series: who is watching what now. */
  tick(wallNow: number): void {
    this.store.tick(wallNow, this.registry.peerCount, swarmSizes(this.registry));
  }

  /** A last point of the series (no swarm counted live any more), then the state file. */
  stop(wallNow: number): void {
    this.store.tick(wallNow, this.registry.peerCount, []);
    if (this.cfg.stateFile === '') return;
    saveState(this.cfg.stateFile, this.store, this.ingest);
    this.log.info({ stateFile: this.cfg.stateFile }, 'stats state saved');
  }

  private count(result: string): void {
    this.results.set(result, (this.results.get(result) ?? 0) + 1);
  }
}

/** Each swarm's hex id and size. */
function* swarmSizes(registry: Registry): Generator<readonly [string, number]> {
  for (const s of registry.swarms.values()) yield [s.hex, s.list.length] as const;
}
