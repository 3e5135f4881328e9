import type { PeerTransport } from '../io/interfaces.js';

/**
 * One end of a data channel whose remote side is the caller: `deliver` hands it a frame at once,
 * with no clock involved, and what it sends goes nowhere. For hostile-peer tests and
 * measurements, where the test speaks for the remote peer frame by frame.
 */
export class DirectTransport implements PeerTransport {
  readonly initiator = true;
  readonly bufferedAmount = 0;
  closed = false;
  private listener: ((frame: Uint8Array) => void) | undefined;

  constructor(readonly remoteId = 'remote') {}

  send(): void {}
  onFrame(listener: (frame: Uint8Array) => void): void {
    this.listener = listener;
  }
  onClose(): void {}
  close(): void {
    this.closed = true;
  }
  deliver(frame: Uint8Array): void {
    if (!this.closed) this.listener?.(frame);
  }
}
