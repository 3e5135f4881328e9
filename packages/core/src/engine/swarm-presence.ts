import type { Clock, SwarmDirectory, TimerHandle } from '../io/interfaces.js';
import type { EngineConfig } from './config.js';

/** How often the engine checks whether it should look for more peers. */
const PEER_UPKEEP_MS = 5000;
/**
 * Asks that brought no new peer double the wait before the next, up to 2^4 x PEER_UPKEEP_MS:
 * each ask builds peer connections on this device and the ones it reaches, and a member that
 * cannot take us (its device at its limit, a pair that cannot connect) would otherwise draw an
 * offer every 5 s for as long as the session lasts.
 */
const MAX_BACKOFF_STEPS = 4;
/** How often a postponed join looks again whether the buffer now allows it. */
const JOIN_CHECK_MS = 500;

/** What the presence needs of the peer pool: how many peers it holds, and whether it has room. */
export interface PoolSize {
  readonly size: number;
  readonly wantsMorePeers: boolean;
}

/**
 * The engine's time in the swarm: when it joined (waits for peers that are still connecting
 * count from there), and the upkeep that asks the tracker for more peers while it knows of more.
 */
export class SwarmPresence {
  private joinedAt: number | undefined;
  private upkeepTimer: TimerHandle | undefined;
  private joinTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly directory: SwarmDirectory,
    private readonly pool: PoolSize,
    private readonly config: Pick<EngineConfig, 'peerWarmupMs'>,
    /** Most peers the device can take right now (its health budget). */
    private readonly maxPeers: () => number,
  ) {}

  /** The join is moments away: waits for peers count from now, unless the join already happened. */
  expect(): void {
    this.joinedAt ??= this.clock.now();
  }

  /**
   * Joins once `ready()` says so, looking again every JOIN_CHECK_MS. Joining builds peer
   * connections (ICE, DTLS, the first exchanges) in a burst of work; a busy device that has only
   * just started playing would pay for it with the little buffer it has (live-12 bench: the last
   * two joiners stalled 4.6 s each on HTTP fetches that took 3.5-4 s right after their first
   * frame, where their P2P-off twins did not stall). Until then nothing waits for peers.
   */
  joinWhenReady(ready: () => boolean, join: () => void): void {
    if (this.stopped || this.joinTimer !== undefined) return;
    if (ready()) {
      this.joined();
      return join();
    }
    this.joinedAt = undefined;
    this.joinTimer = this.clock.setTimeout(() => {
      this.joinTimer = undefined;
      this.joinWhenReady(ready, join);
    }, JOIN_CHECK_MS);
  }

  /** Joined: waits count from now, and the upkeep starts. */
  private joined(): void {
    this.joinedAt = this.clock.now();
    if (this.upkeepTimer === undefined) this.scheduleUpkeep();
  }

  /** 0 before the join. */
  joinedForMs(): number {
    return this.joinedAt === undefined ? 0 : this.clock.now() - this.joinedAt;
  }

  /**
   * Just joined, and the tracker knows of viewers we are not connected to yet, or has not
   * answered yet (an empty swarm answers quickly, and then nothing waits).
   */
  peersStillConnecting(): boolean {
    if (this.joinedAt === undefined || this.joinedForMs() >= this.config.peerWarmupMs) return false;
    const others = this.directory.othersInSwarm();
    return others === undefined || others > this.pool.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.upkeepTimer !== undefined) this.clock.clearTimeout(this.upkeepTimer);
    if (this.joinTimer !== undefined) this.clock.clearTimeout(this.joinTimer);
  }

  /**
   * One announce reaches only a few members (each offer goes to one), so a swarm ends up partly
   * connected: while the tracker knows of more viewers than we hold and there is room, ask again.
   * Full connectivity is what lets every viewer agree on who fetches a live segment first.
   */
  private scheduleUpkeep(lastPoolSize = 0, fruitlessAsks = 0, delayMs = PEER_UPKEEP_MS): void {
    this.upkeepTimer = this.clock.setTimeout(() => {
      const others = this.directory.othersInSwarm();
      const size = this.pool.size;
      let misses = size > lastPoolSize ? 0 : fruitlessAsks;
      // While connections are still forming (the pool grew since last time), more offers would
      // only add setup work on every device involved.
      const ask = others !== undefined && others > size && size <= lastPoolSize && this.pool.wantsMorePeers;
      if (ask) this.directory.requestMorePeers(Math.min(others, this.maxPeers()) - size);
      if (ask) misses++;
      const next = ask ? PEER_UPKEEP_MS * 2 ** Math.min(misses, MAX_BACKOFF_STEPS) : PEER_UPKEEP_MS;
      if (!this.stopped) this.scheduleUpkeep(size, misses, next);
    }, delayMs);
  }
}
