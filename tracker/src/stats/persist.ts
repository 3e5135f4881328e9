/**
 * Optional persistence of the stats aggregates and per-viewer session baselines across restarts
 * (config stateFile): saved at shutdown, loaded at start. Keeping the baselines means a viewer's
 * next cumulative report after a restart is not counted twice.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { StatsIngest } from './ingest.js';
import type { SavedStore, StatsStore } from './store.js';

interface StateFile {
  readonly version: 1;
  readonly savedAt: string;
  readonly store: SavedStore;
  readonly sessions: unknown;
}

export function saveState(path: string, store: StatsStore, ingest: StatsIngest): void {
  const state: StateFile = { version: 1, savedAt: new Date().toISOString(), store: store.save(), sessions: ingest.save() };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

/** Loads a state file if there is one; returns false when none exists. Throws on a corrupt file. */
export function loadState(path: string, store: StatsStore, ingest: StatsIngest, now: number): boolean {
  if (!existsSync(path)) return false;
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) {
    throw new Error(`${path} is not a Shoal tracker state file (version 1)`);
  }
  const state = raw as StateFile;
  store.restore(state.store, now);
  ingest.restore(state.sessions);
  return true;
}
