// The cluster's pure parts: node-to-node message format, stats merging, and its config checks.
import { describe, expect, it } from 'vitest';
import { mergeSeries } from '../src/cluster/aggregate.js';
import { decodeRelay, encodeRelay } from '../src/cluster/relay.js';
import { ConfigError, resolveConfig } from '../src/index.js';
import { binId } from './helpers.js';

describe('relay messages between nodes', () => {
  it('round-trips ids (any byte) and the description', () => {
    const [ih, to, from, offerId] = [binId(), '\u0000'.repeat(19) + '\u00ff', binId(), binId()];
    const desc = '{"type":"offer","sdp":"v=0\\r\\n"}';
    expect(decodeRelay(encodeRelay('o', ih, to, from, offerId, 'edge-1.a_b', desc), 1000)).toEqual({
      kind: 'o',
      infoHash: ih,
      to,
      from,
      offerId,
      node: 'edge-1.a_b',
      descriptionJson: desc,
    });
  });

  it('drops malformed or oversized messages', () => {
    const good = encodeRelay('a', binId(), binId(), binId(), binId(), 'n2', '{"type":"answer","sdp":"x"}');
    expect(decodeRelay(good, 1000)?.kind).toBe('a');
    expect(decodeRelay(good, 10)).toBeUndefined();
    expect(decodeRelay('x' + good.slice(1), 1000)).toBeUndefined();
    expect(decodeRelay(good.slice(0, 100), 1000)).toBeUndefined();
    expect(decodeRelay(good.slice(0, 161) + 'n2 {"sdp":1}', 1000)).toBeUndefined();
    expect(decodeRelay(good.slice(0, 161) + 'n/2 {"type":"answer","sdp":"x"}', 1000)).toBeUndefined();
    expect(decodeRelay(good.slice(0, 161) + 'n2{"type":"answer","sdp":"x"}', 1000)).toBeUndefined();
    expect(decodeRelay(good.replace(/^a./, 'aZ'), 1000)).toBeUndefined();
  });
});

describe('cluster stats merge', () => {
  const p = (t: number, viewers: number, httpBytes: number, p2pBytes: number) => ({ t, viewers, httpBytes, p2pBytes, offload: null });

  it('sums nodes per interval, carrying cumulative bytes forward, and recomputes offload', () => {
    const a = [p(1000, 2, 100, 0), p(2000, 2, 200, 100)];
    const b = [p(1500, 1, 0, 0), p(2400, 3, 0, 300)]; // ticks at other moments; no point in the first interval... then one
    const merged = mergeSeries([a, b], 1000, 10);
    expect(merged.map((x) => [x.viewers, x.httpBytes, x.p2pBytes])).toEqual([
      [3, 100, 0],
      [5, 200, 400],
    ]);
    expect(merged[1]!.offload).toBeCloseTo(400 / 500);
  });

  it('keeps at most max points', () => {
    const a = Array.from({ length: 20 }, (_, i) => p(i * 1000, 1, i, i));
    expect(mergeSeries([a], 1000, 5).map((x) => x.t)).toEqual([15_000, 16_000, 17_000, 18_000, 19_000]);
  });
});

describe('cluster config', () => {
  it('takes --redis, env and file, and names the field when wrong', () => {
    expect(resolveConfig({ cli: { redis: 'redis://127.0.0.1:6379' } }).redis).toBe('redis://127.0.0.1:6379');
    expect(resolveConfig({ env: { SHOAL_TRACKER_REDIS: 'rediss://u:p@redis.internal:6380/2' } }).redis).toBe(
      'rediss://u:p@redis.internal:6380/2',
    );
    expect(resolveConfig({ file: { path: 't.json', value: { redis: 'redis://r:6379', nodeId: 'edge-1' } } }).nodeId).toBe('edge-1');
    expect(resolveConfig().redis).toBe('');
    expect(() => resolveConfig({ cli: { redis: 'http://127.0.0.1:6379' } })).toThrow(
      /redis: "http:\/\/127.0.0.1:6379" is not a URL like redis:/,
    );
    expect(() => resolveConfig({ cli: { nodeId: 'a b' } })).toThrow(ConfigError);
    expect(() => resolveConfig({ cli: { redisPrefix: 'x{y}' } })).toThrow(/redisPrefix/);
    expect(() => resolveConfig({ cli: { clusterPeerTtlMs: '10' } })).toThrow(/clusterPeerTtlMs/);
  });
});
