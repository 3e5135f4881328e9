/**
 * Whether the tracker answers, as one explicit phase: bittorrent-tracker's client retries a lost
 * socket forever and reports each failure as a 'warning', so without this a page with an
 * unreachable tracker just shows 0 peers and nobody says why.
 */
export type TrackerState = 'connecting' | 'connected' | 'unreachable';

/**
 * Consecutive failed connection attempts, with no answer in between, after which the tracker
 * counts as unreachable. One: bittorrent-tracker waits 10 s plus up to 5 min at random before
 * each retry, so waiting for a second failure could keep a page silent for minutes.
 */
export const TRACKER_UNREACHABLE_AFTER = 1;

export class TrackerHealth {
  private phase: TrackerState = 'connecting';
  private failures = 0;

  constructor(
    private readonly onChange: (state: TrackerState, lastError?: string) => void,
    private readonly unreachableAfter = TRACKER_UNREACHABLE_AFTER,
  ) {}

  get state(): TrackerState {
    return this.phase;
  }

  /** The tracker answered an announce (or relayed a peer). */
  answered(): void {
    this.failures = 0;
    this.enter('connected');
  }

  /** A connection attempt failed; the client retries by itself. */
  failed(error: string): void {
    this.failures++;
    if (this.failures >= this.unreachableAfter) this.enter('unreachable', error);
  }

  private enter(state: TrackerState, lastError?: string): void {
    if (state === this.phase) return;
    this.phase = state;
    this.onChange(state, lastError);
  }
}
