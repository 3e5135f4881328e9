// deploy/grafana/shoal.json only queries metrics a running tracker's /metrics exports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tracker } from './helpers.js';

const DASHBOARD = new URL('../../deploy/grafana/shoal.json', import.meta.url);
// PromQL functions, aggregations and keywords the dashboard may use; any other name is a metric.
const PROMQL_WORDS = new Set([
  'sum',
  'rate',
  'increase',
  'histogram_quantile',
  'clamp_min',
  'label_values',
  'by',
  'without',
  'avg',
  'max',
  'min',
]);

interface Panel {
  readonly title: string;
  readonly targets?: readonly { readonly expr: string }[];
}

/** Every query in the dashboard: panel targets and template variables. */
interface Dashboard {
  panels: Panel[];
  templating: { list: { query: string | { query: string } }[] };
}

function queries(dashboard: Dashboard): string[] {
  const fromPanels = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const fromVariables = dashboard.templating.list.map((v) => (typeof v.query === 'string' ? v.query : v.query.query));
  return [...fromPanels, ...fromVariables];
}

/** The metric names in a PromQL expression: identifiers outside strings, label matchers, groupings and ranges. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\$__\w+/g, '')
    // label_values(metric, label): the second argument is a label name.
    .replace(/\blabel_values\(([^,)]*),[^)]*\)/g, 'label_values($1)');
  const names = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return names.filter((n) => !PROMQL_WORDS.has(n) && !/^\d/.test(n));
}

/** Sample names /metrics can show: each metric's name, and a histogram's _bucket, _sum and _count. */
function exportedNames(metrics: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name! + s);
  }
  return names;
}

describe('Grafana dashboard', () => {
  it('queries only metrics that /metrics exports, and every query names at least one', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
    const t = await tracker({ egressCostPerGb: 0.02 }); // the money panels' metrics exist only with a price
    const exported = exportedNames(await (await fetch(`${t.httpUrl}/metrics`)).text());
    expect(exported.has('shoal_tracker_segment_delivery_seconds_bucket')).toBe(true);
    const all = queries(dashboard);
    expect(all.length).toBeGreaterThan(10);
    for (const expr of all) {
      const names = metricNames(expr);
      expect(names, expr).not.toEqual([]);
      for (const name of names) expect(exported.has(name), `${name} in ${expr}`).toBe(true);
    }
    // The views are all there.
    const text = all.join('\n');
    for (const m of [
      'offload_ratio',
      'stream_viewers',
      'bytes_total',
      'startup_seconds_bucket',
      'stalls_total',
      'segment_delivery_seconds_bucket',
    ]) {
      expect(text).toContain(`shoal_tracker_${m}`);
    }
  });

  it('the check catches a metric the tracker does not export', () => {
    expect(metricNames('sum by (le) (rate(shoal_tracker_nope_bucket{stream=~"$stream"}[$__rate_interval]))')).toEqual([
      'shoal_tracker_nope_bucket',
    ]);
    expect(metricNames('histogram_quantile(0.95, sum by (le, source) (rate(x_bucket[5m])))')).toEqual(['x_bucket']);
  });
});
