import { describe, expect, it } from 'vitest';
import { attributeStall, attributeStalls, countCauses, describeCauses, perViewerMinute, watchedMinutes } from '../src/results/stalls.js';
import type { PageStall, SegmentEvent } from '../src/run/page-metrics.js';

const seg = (over: Partial<SegmentEvent> & Pick<SegmentEvent, 't' | 'seq'>): SegmentEvent => ({
  track: 1,
  source: 'p2p',
  ms: 800,
  plan: 'p2p',
  buffer: 0,
  ...over,
});
const stall = (over: Partial<PageStall>): PageStall => ({
  t: 10_000,
  endT: 10_600,
  pos: 20,
  level: 1,
  sn: 12,
  requestedAtMs: 9_500,
  ...over,
});

describe('stall attribution', () => {
  it('a fragment asked for before the stall and delivered after it was late: from where, by which plan, why', () => {
    const segments = [seg({ t: 9_000, seq: 11 }), seg({ t: 10_400, seq: 12, source: 'http', ms: 900, plan: 'p2p', why: 'deadline' })];
    expect(attributeStall(stall({}), segments)).toEqual({
      t: 10_000,
      ms: 600,
      pos: 20,
      level: 1,
      sn: 12,
      cause: 'late-delivery',
      requestedAtMs: 9_500,
      deliveredAtMs: 10_400,
      inFlight: true,
      source: 'http',
      plan: 'p2p',
      why: 'deadline',
      loadMs: 900,
    });
  });

  it('bytes that arrived before the stall put the blame on parsing and appending, not delivery', () => {
    const a = attributeStall(stall({ requestedAtMs: 8_000 }), [seg({ t: 9_900, seq: 12 })]);
    expect(a).toMatchObject({ cause: 'delivered-before-stall', inFlight: false, source: 'p2p', deliveredAtMs: 9_900 });
  });

  it("a fragment hls.js had not asked for yet is the player's lateness", () => {
    expect(attributeStall(stall({ requestedAtMs: null }), [])).toMatchObject({
      cause: 'not-requested',
      inFlight: false,
      deliveredAtMs: null,
      source: null,
    });
    expect(attributeStall(stall({ requestedAtMs: 10_200 }), [seg({ t: 10_500, seq: 12 })])).toMatchObject({
      cause: 'not-requested',
      deliveredAtMs: 10_500,
    });
  });

  it('a request never answered by the end of the run stays late and in flight; an open stall has no length', () => {
    expect(attributeStall(stall({ endT: null }), [])).toMatchObject({
      cause: 'late-delivery',
      inFlight: true,
      ms: null,
      deliveredAtMs: null,
      source: null,
    });
  });

  it('joins on rendition and sequence, and takes the delivery that answered this request', () => {
    const segments = [
      seg({ t: 5_000, seq: 12, source: 'cache' }), // an earlier load of the same fragment
      seg({ t: 10_300, seq: 12, track: 0, source: 'http' }), // another rendition
      seg({ t: 10_700, seq: 12, source: 'mixed' }),
    ];
    expect(attributeStall(stall({}), segments)).toMatchObject({ cause: 'late-delivery', source: 'mixed', deliveredAtMs: 10_700 });
  });

  it('without a FRAG_LOADING time, the request time is the delivery minus its load time', () => {
    expect(attributeStall(stall({ requestedAtMs: null }), [seg({ t: 10_300, seq: 12, ms: 800 })])).toMatchObject({
      cause: 'late-delivery',
      requestedAtMs: 9_500,
    });
  });

  it('a stall with no fragment after the buffered end is unidentified', () => {
    expect(attributeStall(stall({ level: null, sn: null, requestedAtMs: null }), [seg({ t: 10_300, seq: 12 })])).toMatchObject({
      cause: 'unidentified',
      source: null,
    });
  });

  it('counts causes, and late deliveries by source', () => {
    const all = attributeStalls(
      [stall({}), stall({ sn: 13, requestedAtMs: 9_000 }), stall({ sn: 14, requestedAtMs: null }), stall({ sn: 15 })],
      [seg({ t: 10_400, seq: 12, source: 'http' }), seg({ t: 10_100, seq: 13 }), seg({ t: 10_050, seq: 15 })],
    );
    const causes = countCauses(all);
    expect(causes).toEqual({
      byCause: { 'late-delivery': 3, 'not-requested': 1, 'delivered-before-stall': 0, unidentified: 0 },
      lateBySource: { http: 1, p2p: 2 },
    });
    expect(describeCauses(causes)).toBe('3 late-delivery (1 http, 2 p2p), 1 not-requested');
    expect(describeCauses(countCauses([]))).toBe('none recorded by the player');
  });
});

describe('stalls per viewer-minute', () => {
  it('counts the minutes from the first frame until the viewer left or the run ended', () => {
    expect(watchedMinutes({ joinedAtS: 10, closedAtS: null, startupMs: 2_000 }, 72)).toBe(1);
    expect(watchedMinutes({ joinedAtS: 0, closedAtS: 30, startupMs: 0 }, 120)).toBe(0.5);
    expect(watchedMinutes({ joinedAtS: 0, closedAtS: null, startupMs: null }, 120)).toBe(0);
    expect(watchedMinutes({ joinedAtS: 100, closedAtS: null, startupMs: 30_000 }, 120)).toBe(0);
  });

  it('divides stalls by minutes watched, and has no rate when nobody watched', () => {
    expect(perViewerMinute(3, 6)).toBe(0.5);
    expect(perViewerMinute(0, 6)).toBe(0);
    expect(perViewerMinute(2, 0)).toBeNull();
  });
});
