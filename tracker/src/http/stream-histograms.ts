/**
 * The /metrics histograms fed by viewers' timing samples: startup, stall durations and segment
 * delivery time by source, per stream. Streams get their own series in the order they first send
 * samples, at most MAX_STREAM_ROWS at once; the others share swarm="other". A slot (and its
 * series) is freed when its swarm has no viewers left, so the label sets stay bounded by the
 * number of streams however long the tracker runs.
 */
import { Histogram, type Registry } from 'prom-client';
import type { Samples } from '../stats/samples.js';
import { MAX_STREAM_ROWS, OTHER } from '../stats/stream-rows.js';

const P = 'shoal_tracker_';
// Seconds: startup and deliveries from tens of ms to tens of seconds, stalls up to minutes.
const TIME_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30];
const STALL_BUCKETS = [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];

type Slot = { readonly swarm: string; readonly stream: string };

export class StreamHistograms {
  private readonly slots = new Map<string, Slot>();
  private readonly startup: Histogram<'swarm' | 'stream'>;
  private readonly stall: Histogram<'swarm' | 'stream'>;
  private readonly delivery: Histogram<'swarm' | 'stream' | 'source'>;

  /** `nameOf`: a swarm's label (else the id's first 12 characters) when its slot is taken. */
  constructor(
    reg: Registry,
    private readonly nameOf: (swarmHex: string) => string,
    private readonly max = MAX_STREAM_ROWS,
  ) {
    const labelNames = ['swarm', 'stream'] as const;
    this.startup = new Histogram({
      name: P + 'startup_seconds',
      help: 'Time from loading to the first frame, reported by viewers.',
      labelNames,
      buckets: TIME_BUCKETS,
      registers: [reg],
    });
    this.stall = new Histogram({
      name: P + 'stall_duration_seconds',
      help: 'Duration of each playback stall, reported by viewers.',
      labelNames,
      buckets: STALL_BUCKETS,
      registers: [reg],
    });
    this.delivery = new Histogram({
      name: P + 'segment_delivery_seconds',
      help: 'Time to deliver one segment to the player, by source (http, p2p), reported by viewers.',
      labelNames: [...labelNames, 'source'],
      buckets: TIME_BUCKETS,
      registers: [reg],
    });
  }

  observe(swarmHex: string, samples: Samples): void {
    const slot = this.slotOf(swarmHex);
    for (const ms of samples.startupMs ?? []) this.startup.observe(slot, ms / 1000);
    for (const ms of samples.stallMs ?? []) this.stall.observe(slot, ms / 1000);
    for (const ms of samples.httpMs ?? []) this.delivery.observe({ ...slot, source: 'http' }, ms / 1000);
    for (const ms of samples.p2pMs ?? []) this.delivery.observe({ ...slot, source: 'p2p' }, ms / 1000);
  }

  /** Frees the slots of swarms with no viewers now, and their series. */
  release(hasViewers: (swarmHex: string) => boolean): void {
    for (const [hex, slot] of this.slots) {
      if (hasViewers(hex)) continue;
      this.slots.delete(hex);
      this.startup.remove(slot);
      this.stall.remove(slot);
      for (const source of ['http', 'p2p']) this.delivery.remove({ ...slot, source });
    }
  }

  private slotOf(swarmHex: string): Slot {
    const known = this.slots.get(swarmHex);
    if (known !== undefined) return known;
    if (this.slots.size >= this.max) return { swarm: OTHER, stream: OTHER };
    const slot = { swarm: swarmHex, stream: this.nameOf(swarmHex) };
    this.slots.set(swarmHex, slot);
    return slot;
  }
}
