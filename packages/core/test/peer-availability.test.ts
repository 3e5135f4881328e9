import { describe, expect, it } from 'vitest';
import { encodeMessage, FrameType, PROTOCOL_VERSION, type PeerMessage, type SegmentRange } from '../src/protocol/index.js';
import { Peer, type MisbehaviorCode, type PeerLimits } from '../src/engine/peer.js';
import { DirectTransport, FakeClock } from '../src/sim/index.js';

const LIMITS: PeerLimits = { maxAvailability: 20_000, maxConcurrentUploads: 4, peerReceiveBudget: 20_000 };

/** A Peer (the victim), and a way to speak for the remote end of its data channel. */
async function connected(limits: Partial<PeerLimits> = {}) {
  const clock = new FakeClock();
  const transport = new DirectTransport();
  const source = { segment: () => undefined, uploadsEnabled: () => true, uploadDelayMs: () => 0, uploaded: () => {} };
  const peer = new Peer(transport, clock, source, { ...LIMITS, ...limits });
  const bans: MisbehaviorCode[] = [];
  peer.on('misbehaved', ({ code }) => bans.push(code));
  peer.start(true, []);
  const send = async (message: PeerMessage, thenWaitMs = 0) => {
    transport.deliver(encodeMessage(message));
    if (thenWaitMs > 0) await clock.advance(thenWaitMs);
  };
  await send({ type: FrameType.Handshake, version: PROTOCOL_VERSION, uploads: true });
  expect(peer.isReady).toBe(true);
  return { clock, peer, bans, send };
}

const haveRanges = (ranges: SegmentRange[]): PeerMessage => ({ type: FrameType.HaveRanges, ranges });
const availability = (peer: Peer) => (peer as unknown as { available: { size: number; runCount: number } }).available;

describe('a peer’s availability claims (hostile-input audit #12, items 1 and 2)', () => {
  it('bans a peer whose HAVE_RANGES claims more segments in one range than any store could hold (53-byte bomb)', async () => {
    const { peer, bans, send } = await connected({ maxAvailability: 100 });
    await send(haveRanges(Array.from({ length: 5 }, (_, i) => ({ track: i, from: 0, count: 0xffff_ffff }))));
    expect(bans).toEqual(['absurd-availability']);
    expect(peer.isReady).toBe(false);
    expect(availability(peer).size).toBe(0);
  });

  it('a frame of 1024 ranges, each as large as allowed, is remembered as runs within both bounds', async () => {
    const { peer, bans, send } = await connected({ maxAvailability: 1_000_000 });
    const ranges = Array.from({ length: 1024 }, (_, i) => ({ track: i % 7, from: i * 3_000_000, count: 1_000_000 }));
    await send(haveRanges(ranges));
    expect(bans).toEqual([]);
    // Each range alone fills the bound: one of them stays, whole; the rest were forgotten.
    expect(availability(peer).size).toBe(1_000_000);
    expect(availability(peer).runCount).toBe(1);
  });

  it('keeps the newest end of a run longer than maxAvailability, without banning', async () => {
    const { peer, bans, send } = await connected({ maxAvailability: 100 });
    await send(haveRanges([{ track: 0, from: 1000, count: 150 }]));
    expect(bans).toEqual([]);
    expect(availability(peer).size).toBe(100);
    expect([1049, 1050, 1149, 1150].map((seq) => peer.has({ track: 0, seq }))).toEqual([false, true, true, false]);
  });

  it('remembers ordinary announcements and forgets lost ones, as ranges', async () => {
    const { peer, bans, send } = await connected();
    await send(haveRanges([{ track: 0, from: 10, count: 5 }]));
    await send({
      type: FrameType.Have,
      segments: [
        { track: 0, seq: 15 },
        { track: 1, seq: 3 },
      ],
    });
    await send({ type: FrameType.Lost, segments: [{ track: 0, seq: 12 }] });
    expect([10, 11, 12, 13, 14, 15, 16].map((seq) => peer.has({ track: 0, seq }))).toEqual([true, true, false, true, true, true, false]);
    expect(peer.has({ track: 1, seq: 3 })).toBe(true);
    expect(peer.hasNear({ track: 0, seq: 20 }, 5)).toBe(true);
    expect(peer.hasNear({ track: 0, seq: 21 }, 5)).toBe(false);
    expect(bans).toEqual([]);
  });

  it('drops and bans a peer that floods 13-byte HAVE_RANGES beyond its receive budget', async () => {
    const { peer, bans, send } = await connected({ peerReceiveBudget: 1000 });
    // 2 units a frame, 1000 units a second, 2 s of burst: the flood is cut within its first ~1000 frames.
    for (let i = 0; i < 3000 && peer.isReady; i++) await send(haveRanges([{ track: 0, from: i * 2, count: 1 }]), i % 100 === 0 ? 1 : 0);
    expect(bans).toEqual(['over-budget']);
    expect(peer.isReady).toBe(false);
  });

  it('drops and bans a peer that sends 1024-entry HAVE frames faster than its budget allows', async () => {
    const { peer, bans, send } = await connected();
    const segments = Array.from({ length: 1024 }, (_, i) => ({ track: 0, seq: i * 2 }));
    // 1025 units each: 40 000 units of burst, then 20 000 a second; 100 a second is far beyond.
    for (let i = 0; i < 200 && peer.isReady; i++) await send({ type: FrameType.Have, segments }, 10);
    expect(bans).toEqual(['over-budget']);
  });

  it('keeps an honest peer: a full initial availability, then a HAVE per segment and DATA-rate frames for two minutes', async () => {
    const { peer, bans, send } = await connected();
    // Initial availability of 20 000 scattered segments: 20 frames of 1024 ranges at once.
    for (let f = 0; f < 20; f++)
      await send(haveRanges(Array.from({ length: 1000 }, (_, i) => ({ track: 0, from: (f * 1000 + i) * 2, count: 1 }))));
    for (let second = 0; second < 120; second++) {
      await send({ type: FrameType.Have, segments: [{ track: 1, seq: second }] });
      // Stand-ins for a 100 Mbit/s transfer's 760 DATA frames a second (each costs one unit).
      for (let i = 0; i < 760; i++) await send({ type: FrameType.Cancel, requestId: i });
      await send({ type: FrameType.Lost, segments: [{ track: 1, seq: Math.max(0, second - 30) }] }, 1000);
    }
    expect(bans).toEqual([]);
    expect(peer.isReady).toBe(true);
  });
});
