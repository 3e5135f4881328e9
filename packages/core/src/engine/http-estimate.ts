import { ThroughputMeter } from './stats.js';

const FALLBACK_HTTP_BYTES_PER_MS = 250; // 2 Mbit/s until measured
const FALLBACK_SEGMENT_BYTES = 512 * 1024;

/**
 * How long fetching a segment over HTTP will take on this device, for deadlines. Two views, the
 * slower one wins: the network's (first byte + bytes at the measured throughput), and the
 * device's (request to delivered, end to end: on a busy device reading the body, callbacks and
 * timers all run late, and a fallback planned from the network alone starts too late).
 */
export class HttpEstimate {
  private readonly network = new ThroughputMeter();
  private readonly endToEnd = new ThroughputMeter();
  private ttfbMs = 200;
  /** Last segment size seen per track (segments of one rendition are alike). */
  private readonly segmentBytes = new Map<number, number>();

  /** One HTTP response: body bytes in ms after the first byte, which took ttfbMs. */
  networkMeasured(bytes: number, ms: number, ttfbMs: number): void {
    this.network.sample(bytes, ms);
    this.ttfbMs = 0.7 * this.ttfbMs + 0.3 * ttfbMs;
  }

  /** A segment came wholly over HTTP: bytes delivered ms after its transfer started. */
  delivered(bytes: number, ms: number): void {
    this.endToEnd.sample(bytes, ms);
  }

  segmentSeen(track: number, bytes: number): void {
    this.segmentBytes.set(track, bytes);
  }

  /** Expected ms for a segment of this track, plus lagMs the deadline timer itself may fire late. */
  ms(track: number, lagMs = 0): number {
    const size = this.segmentBytes.get(track) ?? FALLBACK_SEGMENT_BYTES;
    const network = this.ttfbMs + size / this.network.bytesPerMs(FALLBACK_HTTP_BYTES_PER_MS);
    const device = this.endToEnd.measured ? size / this.endToEnd.bytesPerMs(1) : 0;
    return Math.max(network, device) + lagMs;
  }
}
