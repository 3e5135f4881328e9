import type { PeerTransport } from '../io/interfaces.js';

/** The surface of a simple-peer (@thaunknown/simple-peer) connection that Shoal relies on. */
export interface SimplePeer {
  id?: string;
  readonly initiator: boolean;
  readonly connected: boolean;
  readonly destroyed: boolean;
  readonly bufferSize: number;
  send(data: Uint8Array): void;
  destroy(error?: Error): void;
  on(event: 'connect' | 'close', listener: () => void): unknown;
  on(event: 'data', listener: (data: Uint8Array | ArrayBuffer | string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'connect' | 'close', listener: () => void): unknown;
}

/** Wraps a connected simple-peer data channel as the engine's PeerTransport. */
export function simplePeerTransport(peer: SimplePeer, remoteId: string): PeerTransport {
  const closeListeners: Array<(detail?: string) => void> = [];
  let closed = false;
  const closeOnce = (detail: string) => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(detail);
  };
  peer.on('close', () => closeOnce('connection closed'));
  peer.on('error', (error) => closeOnce(error.message));
  return {
    remoteId,
    initiator: peer.initiator,
    get bufferedAmount() {
      return peer.bufferSize;
    },
    send(frame) {
      if (!closed) peer.send(frame);
    },
    onFrame(listener) {
      peer.on('data', (data) => {
        // Text frames are not part of the protocol: hand over as-is and let the decoder reject them.
        if (typeof data === 'string') listener(new TextEncoder().encode(data));
        else listener(data instanceof Uint8Array ? data : new Uint8Array(data));
      });
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    close() {
      closeOnce('closed locally');
      peer.destroy();
    },
  };
}
