/** The part of a peer connection the gate follows: whether it connected, and when it ends. */
export interface GatedConnection {
  readonly connected: boolean;
  once(event: 'connect' | 'close' | 'error', listener: () => void): unknown;
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

/**
 * Why a connection was refused ('duplicate': we already hold a connection to that viewer, open
 * or preferred).
 */
export type ConnectionRefusal = 'no-room' | 'too-many-connecting' | 'duplicate';

/** Who is at the other end, as the tracker introduced it. */
export interface RemoteViewer {
  readonly id: string;
  /**
   * Of two connections to the same viewer racing through setup, this one is to stay: both ends
   * must compute the same answer (the engine's pool prefers the one the lower peer id initiated).
   */
  readonly preferred: boolean;
}

interface Admitted {
  readonly connection: GatedConnection;
  readonly since: number;
  readonly remoteId: string | undefined;
  phase: 'setup' | 'open' | 'closed';
}

/**
 * Bounds the WebRTC connections a viewer sets up: a tracker (or the peers behind it) relaying a
 * flood of offers would otherwise have us build one connection per offer, and the honest
 * peer's connection would wait behind them all. It also refuses a second connection to a viewer
 * we already hold one to, before any ICE or DTLS work: re-announces reach members at random, and
 * in a live-8 bench 98 connections ran DTLS for the 52 that stayed, the rest closed as
 * duplicates once connected.
 */
export class ConnectionGate {
  /** Connections in setup, oldest first. */
  private readonly connecting = new Set<Admitted>();
  private readonly byRemote = new Map<string, Admitted>();
  private open = 0;
  private evicted = 0;
  private duplicates = 0;

  constructor(private readonly limits: ConnectionLimits) {}

  /** Admits a connection being set up (and follows it until it closes), or says why not. */
  admit(connection: GatedConnection, remote?: RemoteViewer): ConnectionRefusal | undefined {
    const existing = remote && this.byRemote.get(remote.id);
    if (existing) {
      if (existing.phase === 'open' || !remote.preferred) return this.refuseDuplicate();
      // Two setups racing: the preferred one stays, on both ends alike.
      this.forget(existing);
      this.duplicates++;
      existing.connection.destroy();
    }
    if (this.connecting.size + this.open >= this.limits.maxPeers && !this.evictStaleSetup()) return 'no-room';
    if (!connection.connected && this.connecting.size >= this.limits.maxConnecting && !this.evictStaleSetup()) {
      return 'too-many-connecting';
    }
    const admitted: Admitted = { connection, since: this.limits.now(), remoteId: remote?.id, phase: 'setup' };
    if (remote) this.byRemote.set(remote.id, admitted);
    if (connection.connected) this.opened(admitted);
    else {
      this.connecting.add(admitted);
      connection.once('connect', () => this.opened(admitted));
    }
    connection.once('close', () => this.forget(admitted));
    // simple-peer ends a connection that failed (ICE, a channel error) with 'error', never 'close'
    // (its own _destroy bypasses streamx's): without this the place stayed taken.
    connection.once('error', () => this.forget(admitted));
    return undefined;
  }

  /**
   * Stops counting a connection whatever it says: the directory's connect timeout gave up on it.
   * simple-peer tears down a setup whose other side vanished without 'close' or 'error', and such
   * a setup would otherwise keep its place, and count as held (held_peers), until evicted.
   */
  release(connection: GatedConnection): void {
    for (const admitted of this.byRemote.values()) if (admitted.connection === connection) this.forget(admitted);
    for (const admitted of this.connecting) if (admitted.connection === connection) this.forget(admitted);
  }

  /** Connections in setup and open now; setups given up for newer offers, duplicates refused or replaced so far. */
  get counts(): { connecting: number; open: number; evicted: number; duplicates: number } {
    return { connecting: this.connecting.size, open: this.open, evicted: this.evicted, duplicates: this.duplicates };
  }

  /** The viewers we hold a connection to, open or in setup: the tracker sends our next offers to others. */
  get remoteIds(): string[] {
    return [...this.byRemote.keys()];
  }

  private refuseDuplicate(): ConnectionRefusal {
    this.duplicates++;
    return 'duplicate';
  }

  private opened(admitted: Admitted): void {
    if (admitted.phase !== 'setup') return;
    admitted.phase = 'open';
    this.connecting.delete(admitted);
    this.open++;
  }

  /** Stops counting a connection (closed, or given up); a second call changes nothing. */
  private forget(admitted: Admitted): void {
    if (admitted.phase === 'open') this.open--;
    else this.connecting.delete(admitted);
    admitted.phase = 'closed';
    if (admitted.remoteId !== undefined && this.byRemote.get(admitted.remoteId) === admitted) this.byRemote.delete(admitted.remoteId);
  }

  /** Gives up the oldest setup that outlived its grace, to make a place. */
  private evictStaleSetup(): boolean {
    const oldest = this.connecting.values().next().value;
    if (!oldest || this.limits.now() - oldest.since < this.limits.setupGraceMs) return false;
    this.forget(oldest);
    this.evicted++;
    oldest.connection.destroy();
    return true;
  }
}
