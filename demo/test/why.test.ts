// The segment log's "why" line, from what the engine says with each segment-loaded event.
import { describe, expect, it } from 'vitest';
import { explainSegment, type SegmentWhyInput } from '../src/page/why.js';

const basis = { timeToNeedMs: 12_000, httpEstimateMs: 180, peerHasIt: false, othersFetchFirst: false, peersConnecting: false };
const seg = (over: Partial<SegmentWhyInput>): SegmentWhyInput => ({
  source: 'http',
  plan: 'http',
  basis,
  ms: 40,
  waitMs: 0,
  heldMs: 0,
  ...over,
});

describe('explainSegment', () => {
  it('says a peer had it, and where a slow P2P time went (prefetch hold, wait before bytes)', () => {
    const line = explainSegment(
      seg({ source: 'p2p', plan: 'p2p', basis: { ...basis, peerHasIt: true }, ms: 950, waitMs: 700, heldMs: 2400 }),
    );
    expect(line).toBe('a peer had it (12.0 s of buffer, HTTP ~180 ms) · held 2.40 s for prefetch pacing, 700 ms before bytes flowed');
  });

  it('tells "no peer had it" from "too little buffer to try peers"', () => {
    expect(explainSegment(seg({ httpReason: 'plan' }))).toBe('no peer had it (12.0 s of buffer, HTTP ~180 ms)');
    expect(explainSegment(seg({ basis: { ...basis, peerHasIt: true, timeToNeedMs: 300 }, httpReason: 'plan' }))).toBe(
      'too little buffer to try peers (300 ms of buffer, HTTP ~180 ms)',
    );
  });

  it('explains a live-edge wait that ended over HTTP, and the cache', () => {
    const line = explainSegment(
      seg({ plan: 'wait', basis: { ...basis, othersFetchFirst: true }, httpReason: 'deadline', waitMs: 1500, ms: 1600 }),
    );
    expect(line).toBe(
      'waited: another viewer fetches new live segments first (12.0 s of buffer, HTTP ~180 ms) · peers ran out of time, the rest came over HTTP · 1.50 s before bytes flowed',
    );
    expect(explainSegment(seg({ source: 'cache' }))).toBe('already held by this tab (served from its own store)');
  });
});
