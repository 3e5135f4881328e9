import type { Clock } from '../io/interfaces.js';
import type { SegmentResult } from './fetch-contract.js';

/** When a fetch was asked for, when bytes began to flow, its first byte: for honest LoaderStats. */
export class FetchTiming {
  readonly requestedAt: number;
  private transferStartedAt: number | undefined;
  private firstByteAt: number | undefined;

  constructor(private readonly clock: Clock) {
    this.requestedAt = clock.now();
  }

  /** A request went out (to a peer or the origin); only the first counts. */
  transferStarted(): void {
    this.transferStartedAt ??= this.clock.now();
  }

  firstByte(): void {
    this.firstByteAt ??= this.clock.now();
  }

  /** The times of a result that ends now. */
  ended(): Pick<SegmentResult, 'requestedAt' | 'transferStartedAt' | 'firstByteAt' | 'endedAt'> {
    const now = this.clock.now();
    return {
      requestedAt: this.requestedAt,
      transferStartedAt: this.transferStartedAt ?? this.requestedAt,
      firstByteAt: this.firstByteAt ?? now,
      endedAt: now,
    };
  }
}
