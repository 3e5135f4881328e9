/** `npm run fuzz`, the tracker's part: its message handler and WebSocket frame parser (see @shoal/test-kit's long-run.ts). */
import { runFuzzTargets } from '@shoal/test-kit';
import { trackerProperty, wsBytesProperty } from './fuzz-targets.js';

await runFuzzTargets({
  tracker: { property: trackerProperty, what: 'tracker message handler: conversations of up to 25 messages on 4 connections' },
  ws: { property: wsBytesProperty, what: 'tracker WebSocket frame parser: random bytes and frames' },
});
