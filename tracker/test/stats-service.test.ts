import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/fields.js';
import { createLogger } from '../src/logger.js';
import { parseReport } from '../src/stats/report.js';
import { StatsService } from '../src/stats/service.js';
import { Registry } from '../src/swarm/registry.js';
import { fakeClient } from './fake-outbox.js';
import { onCleanup } from './helpers.js';

const log = createLogger('silent');

function service(stateFile = '') {
  const registry = new Registry(100, 60_000);
  return { registry, stats: new StatsService({ ...defaultConfig(), stateFile }, registry, log) };
}

function tmpFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-stats-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'state.json');
}

describe('stats service', () => {
  it('counts every report by result, accepted or not', () => {
    const { stats } = service();
    const parsed = parseReport(
      JSON.stringify({
        v: 1,
        swarm: 'a'.repeat(40),
        peerId: 'b'.repeat(40),
        httpBytes: 1,
        p2pBytes: 0,
        uploadBytes: 0,
        rejectedBytes: 0,
        peers: 0,
        stalls: 0,
        stallMs: 0,
        playingMs: 0,
        final: false,
      }),
    );
    if (!parsed.ok) throw new Error('test report does not parse');
    const r = stats.accept(parsed.report, '10.0.0.1', 1_000_000);
    expect(r.ok).toBe(false); // nobody holds that peer id
    stats.refused('too_large');
    stats.refused('too_large');
    expect(Object.fromEntries(stats.results)).toEqual({ [r.ok ? 'accepted' : r.code]: 1, too_large: 2 });
  });

  it('saves the aggregates at stop, after a last point of the series, and the next tracker restores them', () => {
    const file = tmpFile();
    const first = service(file);
    const s = first.registry.join(undefined, 'h'.repeat(20), 'p'.repeat(20), fakeClient(), 0).swarm;
    first.stats.tick(1_000_000);
    first.stats.stop(1_001_000);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      version: number;
      store: { series: { t: number; viewers: number }[]; swarms: Record<string, unknown> };
    };
    expect(saved.version).toBe(1);
    expect(Object.keys(saved.store.swarms)).toEqual([s.hex]);
    expect(saved.store.series.map((p) => [p.t, p.viewers])).toEqual([
      [1_000_000, 1],
      [1_001_000, 1],
    ]);

    const second = service(file);
    second.stats.restore(1_002_000);
    expect(second.stats.store.save()).toEqual(first.stats.store.save());
  });

  it('without a state file, writes and reads nothing', () => {
    const file = tmpFile();
    const { stats } = service('');
    stats.restore(0);
    stats.stop(0);
    expect(existsSync(file)).toBe(false);
  });

  it('a corrupt state file stops the start with an error that names it', () => {
    const file = tmpFile();
    writeFileSync(file, JSON.stringify({ version: 7 }));
    expect(() => service(file).stats.restore(0)).toThrow(`${file} is not a Shoal tracker state file (version 1)`);
  });
});
