/**
 * Data channels between simulated viewers. Every viewer has one uplink and one downlink queue
 * (first in, first out at its rate), shared by all its channels, as a home connection is. A frame
 * leaves when the sender's uplink has carried everything queued before it, crosses the pair's
 * latency (with jitter; a lost frame is resent a round trip later, as SCTP does), and is handed
 * over once the receiver's downlink has taken it. Frames on one channel stay in order.
 */
import type { PeerTransport } from '@shoal/core';
import type { SimClock } from './sim-clock.js';
import type { Rng } from './rng.js';

/** Per-frame overhead on the wire (SCTP, DTLS, UDP, IP headers). */
const FRAME_OVERHEAD_BYTES = 60;

export class Pipe {
  private freeAt = 0;
  /** Bytes carried so far (uplink: what this viewer uploaded on the wire). */
  bytes = 0;

  constructor(
    private readonly clock: SimClock,
    /** Bytes per ms. */
    readonly rate: number,
  ) {}

  /** When a frame of `bytes` queued now (or at `from`) has been carried. */
  carry(bytes: number, from = this.clock.now()): number {
    this.freeAt = Math.max(this.freeAt, from) + bytes / this.rate;
    this.bytes += bytes;
    return this.freeAt;
  }
}

export interface LinkEnd {
  readonly id: string;
  readonly up: Pipe;
  readonly down: Pipe;
}

export interface LinkParams {
  readonly oneWayMs: number;
  readonly jitter: number;
  readonly loss: number;
}

export class SimTransport implements PeerTransport {
  other: SimTransport | undefined;
  closed = false;
  /** The other end hands frames here. */
  frameListener: ((frame: Uint8Array) => void) | undefined;
  private closeListeners: Array<(detail?: string) => void> = [];
  /** Frames queued on our uplink and not yet sent: [leaves at, bytes]. */
  private readonly queued: Array<[number, number]> = [];
  private lastArrival = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly rng: Rng,
    private readonly self: LinkEnd,
    private readonly remote: LinkEnd,
    readonly initiator: boolean,
    private readonly params: LinkParams,
  ) {}

  get remoteId(): string {
    return this.remote.id;
  }

  get bufferedAmount(): number {
    const now = this.clock.now();
    while (this.queued.length > 0 && this.queued[0]![0] <= now) this.queued.shift();
    let sum = 0;
    for (const [, bytes] of this.queued) sum += bytes;
    return sum;
  }

  send(frame: Uint8Array): void {
    if (this.closed) throw new Error('send on closed transport');
    const size = frame.length + FRAME_OVERHEAD_BYTES;
    const leaves = this.self.up.carry(size);
    this.queued.push([leaves, size]);
    const { oneWayMs, jitter, loss } = this.params;
    let flight = oneWayMs * (1 + jitter * (this.rng() * 2 - 1));
    if (loss > 0 && this.rng() < loss) flight += 2 * oneWayMs;
    const arrives = Math.max(this.lastArrival, this.remote.down.carry(size, leaves + flight));
    this.lastArrival = arrives;
    // The engine may reuse the frame's buffer once send returns, as with a real channel.
    const copy = frame.slice();
    this.clock.setTimeout(() => {
      const other = this.other;
      if (!this.closed && other && !other.closed) other.frameListener?.(copy);
    }, arrives - this.clock.now());
  }

  onFrame(listener: (frame: Uint8Array) => void): void {
    this.frameListener = listener;
  }

  onClose(listener: (detail?: string) => void): void {
    this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.shut('closed locally');
    const other = this.other;
    if (other) this.clock.setTimeout(() => other.shut('remote closed'), this.params.oneWayMs);
  }

  shut(detail: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(detail);
  }
}

/** Both ends of one channel. */
export function connectPair(
  clock: SimClock,
  rng: Rng,
  a: LinkEnd,
  b: LinkEnd,
  params: LinkParams,
): [initiatorEnd: SimTransport, answererEnd: SimTransport] {
  const ab = new SimTransport(clock, rng, a, b, true, params);
  const ba = new SimTransport(clock, rng, b, a, false, params);
  ab.other = ba;
  ba.other = ab;
  return [ab, ba];
}
