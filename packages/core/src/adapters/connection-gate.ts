/** The part of a peer connection the gate follows: whether it connected, and when it ends. */
export interface GatedConnection {
  readonly connected: boolean;
  once(event: 'connect' | 'close', listener: () => void): unknown;
  destroy(): void;
}

export interface ConnectionLimits {
  /** Most connections open or being set up at once (the engine's maxPeers). */
  readonly maxPeers: number;
  /** Most connections being set up at once: each costs ICE gathering and DTLS on the main thread. */
  readonly maxConnecting: number;
  /**
   * A connection still in setup after this long gives its place to a new one: an honest peer
   * connects in a few seconds, and offers from peers that vanished must not hold every place
   * until their timeout.
   */
  readonly setupGraceMs: number;
  now(): number;
}

/** Why a connection was refused. */
export type ConnectionRefusal = 'no-room' | 'too-many-connecting';

interface Setup {
  readonly connection: GatedConnection;
  readonly since: number;
}

/**
 * Bounds the WebRTC connections a viewer sets up: a tracker (or the peers behind it) relaying a
 * flood of offers would otherwise have us build one connection per offer, and the honest
 * peer's connection would wait behind them all.
 */
export class ConnectionGate {
  /** Connections in setup, oldest first. */
  private readonly connecting = new Set<Setup>();
  private open = 0;
  private evicted = 0;

  constructor(private readonly limits: ConnectionLimits) {}

  /** Admits a connection being set up (and follows it until it closes), or says why not. */
  admit(connection: GatedConnection): ConnectionRefusal | undefined {
    if (this.connecting.size + this.open >= this.limits.maxPeers && !this.evictStaleSetup()) return 'no-room';
    if (!connection.connected && this.connecting.size >= this.limits.maxConnecting && !this.evictStaleSetup()) {
      return 'too-many-connecting';
    }
    if (connection.connected) {
      this.open++;
      connection.once('close', () => this.open--);
      return undefined;
    }
    const setup = { connection, since: this.limits.now() };
    this.connecting.add(setup);
    let open = false;
    connection.once('connect', () => {
      if (!this.connecting.delete(setup)) return;
      open = true;
      this.open++;
    });
    connection.once('close', () => {
      if (open) this.open--;
      else this.connecting.delete(setup);
      open = false;
    });
    return undefined;
  }

  /** Connections in setup and open now; setups given up for newer offers so far. */
  get counts(): { connecting: number; open: number; evicted: number } {
    return { connecting: this.connecting.size, open: this.open, evicted: this.evicted };
  }

  /** Gives up the oldest setup that outlived its grace, to make a place. */
  private evictStaleSetup(): boolean {
    const oldest = this.connecting.values().next().value;
    if (!oldest || this.limits.now() - oldest.since < this.limits.setupGraceMs) return false;
    this.connecting.delete(oldest);
    this.evicted++;
    oldest.connection.destroy();
    return true;
  }
}
