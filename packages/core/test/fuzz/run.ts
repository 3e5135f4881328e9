/** `npm run fuzz`, the engine's part: the peer protocol decoder and the Peer state machine (see @shoal/test-kit's long-run.ts). */
import { runFuzzTargets } from '@shoal/test-kit';
import { decoderProperty, peerProperty } from './peer-targets.js';

await runFuzzTargets({
  decoder: { property: decoderProperty, what: 'peer protocol decoder: random, damaged and valid frames' },
  peer: { property: peerProperty, what: 'Peer state machine: scripts of up to 40 frames and local calls' },
});
