import fc from 'fast-check';
import { describe, it } from 'vitest';
import { decoderProperty, peerProperty } from './peer-targets.js';
import { trackerProperty, wsBytesProperty } from './tracker-targets.js';

// Short runs of the fuzz targets (the long ones: npm run fuzz, 100 000 cases each).
describe('hostile input never escapes as an exception (short fuzz)', () => {
  it('peer protocol decoder', () => fc.assert(decoderProperty, { numRuns: 5000 }));
  it('Peer state machine', () => fc.assert(peerProperty, { numRuns: 1500 }));
  it('tracker message handler', () => fc.assert(trackerProperty, { numRuns: 1500 }));
  it('tracker WebSocket frame parser', () => fc.assert(wsBytesProperty, { numRuns: 2000 }));
});
