import fc from 'fast-check';
import { describe, it } from 'vitest';
import { withCpuBudget } from '@shoal/test-kit';
import { decoderProperty, peerProperty } from './peer-targets.js';

// Short runs of the engine's fuzz targets, each case within its CPU budget (the long ones: npm run
// fuzz, 100 000 cases each; the tracker's: tracker/test/fuzz.test.ts). The CI pass: a few seconds.
describe('hostile input never escapes as an exception nor costs more than its CPU budget (short fuzz)', () => {
  it('peer protocol decoder', () => fc.assert(withCpuBudget(decoderProperty), { numRuns: 1000 }));
  it('Peer state machine', () => fc.assert(withCpuBudget(peerProperty), { numRuns: 300 }));
});
