/**
 * What hostile availability frames cost the viewer that receives them (issue #12 items 1, 2): a
 * real Peer with the default limits is fed each attack as fast as the frames can be handed to it,
 * and the CPU each frame costs is measured (process.cpuUsage), with when the sender was banned.
 *
 *   npx tsx packages/core/test/fuzz/frame-cost.ts [--frames 25000] [--only "HAVE, 1024"]
 */
import { parseArgs } from 'node:util';
import { encodeMessage, FrameType, PROTOCOL_VERSION, type PeerMessage } from '../../src/protocol/index.js';
import { DEFAULT_ENGINE_CONFIG } from '../../src/engine/config.js';
import { MAX_PLAUSIBLE_RUN, Peer } from '../../src/engine/peer.js';
import type { Clock } from '../../src/io/interfaces.js';
import { DirectTransport } from '../../src/sim/direct-transport.js';

const { values } = parseArgs({ options: { frames: { type: 'string', default: '25000' }, only: { type: 'string', default: '' } } });
const MAX_FRAMES = Number(values.frames);
const chosen = (attacks: readonly Attack[]) => attacks.filter((a) => a.name.includes(values.only));
const { maxAvailability, peerReceiveBudget, maxConcurrentUploads } = DEFAULT_ENGINE_CONFIG;
const U32_MAX = 0xffff_ffff;

interface Attack {
  readonly name: string;
  /** The i-th frame of the attack. */
  readonly frame: (i: number) => PeerMessage;
  /** Engine-clock milliseconds between frames (0: as fast as they come). */
  readonly everyMs: number;
}

const scattered = (i: number, n: number) => Array.from({ length: n }, (_, k) => ({ track: k % 4, seq: (i * n + k) * 2 }));
const ATTACKS: Attack[] = [
  {
    name: '53-byte HAVE_RANGES, 5 ranges of 2^32-1',
    everyMs: 0,
    frame: () => ({ type: FrameType.HaveRanges, ranges: Array.from({ length: 5 }, (_, t) => ({ track: t, from: 0, count: U32_MAX })) }),
  },
  {
    name: '10 KB HAVE_RANGES, 1024 ranges of 2^32-1',
    everyMs: 0,
    frame: () => ({ type: FrameType.HaveRanges, ranges: Array.from({ length: 1024 }, (_, t) => ({ track: t, from: 0, count: U32_MAX })) }),
  },
  {
    name: '10 KB HAVE_RANGES, 1024 ranges of 2^21 (largest allowed)',
    everyMs: 0,
    frame: (i) => ({
      type: FrameType.HaveRanges,
      ranges: Array.from({ length: 1024 }, (_, k) => ({
        track: k % 4,
        from: ((i * 1024 + k) % 1000) * 2 * MAX_PLAUSIBLE_RUN,
        count: MAX_PLAUSIBLE_RUN,
      })),
    }),
  },
  { name: '6 KB HAVE, 1024 scattered entries', everyMs: 0, frame: (i) => ({ type: FrameType.Have, segments: scattered(i, 1024) }) },
  { name: '6 KB HAVE, 1024 entries, 38 a second', everyMs: 26, frame: (i) => ({ type: FrameType.Have, segments: scattered(i, 1024) }) },
  {
    name: '6 KB LOST, 1024 entries splitting runs',
    everyMs: 0,
    frame: (i) =>
      i % 2 === 0
        ? { type: FrameType.HaveRanges, ranges: [{ track: 0, from: 0, count: maxAvailability }] }
        : { type: FrameType.Lost, segments: Array.from({ length: 1024 }, (_, k) => ({ track: 0, seq: k * 3 + (i % 3) })) },
  },
  {
    name: '13-byte HAVE_RANGES flood, as fast as possible',
    everyMs: 0,
    frame: (i) => ({ type: FrameType.HaveRanges, ranges: [{ track: 0, from: i * 2, count: 1 }] }),
  },
  {
    name: '13-byte HAVE_RANGES every 200 ms',
    everyMs: 200,
    frame: (i) => ({ type: FrameType.HaveRanges, ranges: [{ track: 0, from: i * 2, count: maxAvailability }] }),
  },
];

function run(attack: Attack, frames: number) {
  let now = 0;
  const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  const transport = new DirectTransport('attacker');
  const source = { segment: () => undefined, uploadsEnabled: () => true, uploadDelayMs: () => 0, uploaded: () => {} };
  const peer = new Peer(transport, clock, source, { maxAvailability, peerReceiveBudget, maxConcurrentUploads });
  let banned: string | undefined;
  peer.on('misbehaved', (e) => (banned ??= e.code));
  transport.deliver(encodeMessage({ type: FrameType.Handshake, version: PROTOCOL_VERSION, uploads: true }));
  const encoded = Array.from({ length: Math.min(frames, 64) }, (_, i) => encodeMessage(attack.frame(i)));
  const costs: number[] = [];
  let sent = 0;
  while (sent < frames && !transport.closed) {
    const frame = sent < encoded.length ? encoded[sent]! : encodeMessage(attack.frame(sent));
    const started = process.cpuUsage();
    transport.deliver(frame);
    const used = process.cpuUsage(started);
    costs.push((used.user + used.system) / 1000);
    sent++;
    now += attack.everyMs;
  }
  costs.sort((a, b) => a - b);
  const total = costs.reduce((sum, c) => sum + c, 0);
  return {
    bytes: Math.max(...encoded.map((f) => f.length)),
    sent,
    banned,
    total,
    median: costs[Math.floor(costs.length / 2)]!,
    max: costs.at(-1)!,
  };
}

for (const attack of chosen(ATTACKS)) run(attack, Math.min(50, MAX_FRAMES)); // warm up the JIT
console.log(
  `victim CPU per hostile frame (Peer, default limits: maxAvailability ${maxAvailability}, peerReceiveBudget ${peerReceiveBudget}/s); up to ${MAX_FRAMES} frames each`,
);
for (const attack of chosen(ATTACKS)) {
  const r = run(attack, MAX_FRAMES);
  const fate = r.banned ? `banned (${r.banned}) after ${r.sent} frames` : `not banned after ${r.sent} frames`;
  console.log(
    `${attack.name.padEnd(62)} ≤${String(r.bytes).padStart(6)} B  median ${r.median.toFixed(3)} ms  max ${r.max.toFixed(2)} ms  total ${r.total.toFixed(1)} ms  ${fate}`,
  );
}
