/** The part of a peer connection the gate follows: whether it connected, and when it ends. */
export interface GatedConnection {
  readonly connected: boolean;
  once(event: 'connect' | 'close', listener: () => void): unknown;
}

export interface ConnectionLimits {
  /** Most connections open or being set up at once (the engine's maxPeers). */
  readonly maxPeers: number;
  /** Most connections being set up at once: each costs ICE gathering and DTLS on the main thread. */
  readonly maxConnecting: number;
}

/** Why a connection was refused. */
export type ConnectionRefusal = 'no-room' | 'too-many-connecting';

/**
 * Bounds the WebRTC connections a viewer sets up: a tracker (or the peers behind it) relaying a
 * flood of offers would otherwise have us build one connection per offer, and the honest
 * peer's connection would wait behind them all.
 */
export class ConnectionGate {
  private connecting = 0;
  private open = 0;

  constructor(private readonly limits: ConnectionLimits) {}

  /** Admits a connection being set up (and follows it until it closes), or says why not. */
  admit(connection: GatedConnection): ConnectionRefusal | undefined {
    if (this.connecting + this.open >= this.limits.maxPeers) return 'no-room';
    if (!connection.connected && this.connecting >= this.limits.maxConnecting) return 'too-many-connecting';
    let state: 'connecting' | 'open' | 'closed' = connection.connected ? 'open' : 'connecting';
    if (state === 'open') this.open++;
    else this.connecting++;
    connection.once('connect', () => {
      if (state !== 'connecting') return;
      state = 'open';
      this.connecting--;
      this.open++;
    });
    connection.once('close', () => {
      if (state === 'connecting') this.connecting--;
      else if (state === 'open') this.open--;
      state = 'closed';
    });
    return undefined;
  }

  get counts(): { connecting: number; open: number } {
    return { connecting: this.connecting, open: this.open };
  }
}
