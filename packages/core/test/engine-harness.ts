import { ShoalEngine, type LoadRequest, type SegmentResult, type SegmentVerifier } from '../src/index.js';
import type { EngineConfig } from '../src/engine/config.js';
import { FakeClock, FakeOrigin, FakeSwarm, type FakeTransport } from '../src/sim/index.js';

/** A swarm of engines on fake I/O, each with its own settable buffer level. */
export class Harness {
  readonly clock = new FakeClock();
  readonly origin = new FakeOrigin(this.clock, 50, 500);
  readonly swarm = new FakeSwarm(this.clock, 5);
  readonly buffers = new Map<string, number>();
  /** Playhead positions (s) by viewer id; 0 when unset. */
  readonly positions = new Map<string, number>();

  constructor(
    readonly segmentCount = 10,
    readonly segmentSize = 100_000,
  ) {
    for (let seq = 0; seq < segmentCount; seq++) this.origin.files.set(url(seq), segmentBytes(seq, segmentSize));
  }

  viewer(id: string, config: Partial<EngineConfig> = {}, verifier?: SegmentVerifier): ShoalEngine {
    // Joins are tested on their own; elsewhere every viewer starts as if long connected.
    const engine = this.unjoinedViewer(id, { peerWarmupMs: 0, ...config }, verifier);
    engine.start('swarm');
    return engine;
  }

  /** A viewer that has not called start() yet. */
  unjoinedViewer(id: string, config: Partial<EngineConfig> = {}, verifier?: SegmentVerifier): ShoalEngine {
    this.buffers.set(id, 20);
    return new ShoalEngine(
      {
        clock: this.clock,
        http: this.origin.client(),
        peerId: id,
        directory: this.swarm.directory(id),
        verifier,
        playhead: { bufferedAheadS: () => this.buffers.get(id) ?? 0, positionS: () => this.positions.get(id) ?? 0, playbackRate: () => 1 },
      },
      config,
    );
  }

  /** Viewers a and b, connected; a has loaded segment `seq` (from the origin). */
  async seededPair(seq: number): Promise<{ a: ShoalEngine; b: ShoalEngine; seeded: SegmentResult }> {
    const a = this.viewer('a');
    const b = this.viewer('b');
    await this.clock.advance(50);
    const first = this.load(a, seq);
    await this.clock.advance(1000);
    return { a, b, seeded: await first };
  }

  /**
   * Viewers `holderIds`, each holding segment `seq` (from the origin), and viewer 'd', which pulls
   * segments in 64 KiB pieces (so from several peers at once) and has not loaded anything yet.
   */
  async piecewiseSwarm(
    holderIds: readonly string[],
    seq: number,
    verifier?: SegmentVerifier,
  ): Promise<{ holders: ShoalEngine[]; d: ShoalEngine }> {
    const holders = holderIds.map((id) => this.viewer(id));
    const d = this.viewer('d', { pieceBytes: 64 * 1024 }, verifier);
    await this.clock.advance(50);
    for (const holder of holders) await Promise.all([this.load(holder, seq), this.clock.advance(3000)]);
    return { holders, d };
  }

  /** The end of the from–to link that sends what `from` sends to `to` (to tamper with or close). */
  uplink(from: string, to: string): FakeTransport {
    return this.swarm.link(from, to)!.find((t) => t.remoteId === to)!;
  }

  /** Plays `id` for `ms` while its buffer falls to `toS`: deliveries do not keep up. */
  async drain(id: string, toS: number, ms = 6000): Promise<void> {
    const fromS = this.buffers.get(id) ?? 0;
    const start = this.positions.get(id) ?? 0;
    for (let t = 250; t <= ms; t += 250) {
      this.positions.set(id, start + t / 1000);
      this.buffers.set(id, fromS + ((toS - fromS) * t) / ms);
      await this.clock.advance(250);
    }
  }

  load(engine: ShoalEngine, seq: number, live = false): Promise<SegmentResult> {
    return new Promise((resolve, reject) => {
      engine.load(request(seq, live), { onProgress: () => {}, onSuccess: resolve, onError: reject });
    });
  }
}

export function url(seq: number): string {
  return `http://origin.test/seg-${seq}.m4s`;
}

export function request(seq: number, live = false): LoadRequest {
  return { id: { track: 0, seq }, url: url(seq), durationS: 2, startS: seq * 2, live };
}

export function segmentBytes(seq: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seq * 7) & 0xff;
  return bytes;
}

/** A verifier that knows the true bytes of every segment (as a hash manifest would). */
export function trueBytesVerifier(h: Harness): SegmentVerifier {
  return {
    verify: async (segment, bytes) => {
      const expected = h.origin.files.get(segment.url);
      if (!expected) return 'unknown';
      return expected.length === bytes.length && expected.every((b, i) => b === bytes[i]) ? 'ok' : 'mismatch';
    },
  };
}
