import fc from 'fast-check';
import { describe, it } from 'vitest';
import { withCpuBudget } from './cpu-budget.js';
import { decoderProperty, peerProperty } from './peer-targets.js';
import { trackerProperty, wsBytesProperty } from './tracker-targets.js';

// Short runs of the fuzz targets, each case within its CPU budget (the long ones: npm run fuzz,
// 100 000 cases each). The CI pass: a few seconds in all.
describe('hostile input never escapes as an exception nor costs more than its CPU budget (short fuzz)', () => {
  it('peer protocol decoder', () => fc.assert(withCpuBudget(decoderProperty), { numRuns: 1000 }));
  it('Peer state machine', () => fc.assert(withCpuBudget(peerProperty), { numRuns: 300 }));
  it('tracker message handler', () => fc.assert(withCpuBudget(trackerProperty), { numRuns: 300 }));
  it('tracker WebSocket frame parser', () => fc.assert(withCpuBudget(wsBytesProperty), { numRuns: 300 }));
});
