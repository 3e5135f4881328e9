/**
 * The node's two Redis connections (commands, and pub/sub which needs its own) and whether Redis
 * is usable right now. ioredis reconnects by itself; commands are never queued while it is away
 * (enableOfflineQueue false) and time out after COMMAND_TIMEOUT_MS, so an announce never waits on
 * a dead Redis: the caller falls back to local state. Transitions are logged once each way.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

export const COMMAND_TIMEOUT_MS = 1000;
/** Longest a starting node waits for Redis before it starts degraded. */
const START_WAIT_MS = 2500;

const BASE: RedisOptions = {
  connectTimeout: 2000,
  maxRetriesPerRequest: 1,
  // Reconnect forever, backing off to a try every 2 s.
  retryStrategy: (times) => Math.min(100 * times, 2000),
  lazyConnect: true,
};

export class RedisLink {
  readonly cmd: Redis;
  readonly sub: Redis;
  private wasUp = false;
  private closing = false;

  constructor(
    url: string,
    private readonly log: Logger,
    /** Redis (back) up: re-register local peers, publish stats. */
    private readonly onUp: () => void,
  ) {
    this.cmd = new Redis(url, { ...BASE, enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS, enableAutoPipelining: true });
    // The subscriber only ever sends SUBSCRIBE: queued until the first connection (even if Redis
    // is down when the node starts), then repeated by ioredis after every reconnection.
    this.sub = new Redis(url, { ...BASE, enableOfflineQueue: true, maxRetriesPerRequest: null });
    for (const r of [this.cmd, this.sub]) {
      r.on('ready', () => this.check());
      r.on('close', () => this.check());
      r.on('end', () => this.check());
      r.on('error', (err: Error) => {
        if (this.wasUp) this.log.warn({ err: err.message }, 'redis error');
        else this.log.debug({ err: err.message }, 'redis error');
      });
    }
  }

  /** Connects both; resolves once tried (a node starts even when Redis is down, degraded). */
  async start(channel: string, onMessage: (text: string) => void): Promise<void> {
    this.sub.on('message', (_ch: string, text: string) => onMessage(text));
    const subscribed = this.sub.subscribe(channel).then(
      () => undefined,
      (err: unknown) => this.log.error({ err }, 'redis subscribe failed'),
    );
    const connected = this.cmd.connect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise((r) => (timer = setTimeout(r, START_WAIT_MS)));
    await Promise.race([Promise.all([subscribed, connected]), giveUp]);
    clearTimeout(timer);
    this.check();
    if (!this.wasUp) this.log.warn('redis unreachable at start: serving local peers only until it is back');
  }

  get up(): boolean {
    return this.cmd.status === 'ready' && this.sub.status === 'ready';
  }

  private check(): void {
    const up = this.up;
    if (up === this.wasUp || this.closing) return;
    this.wasUp = up;
    if (up) {
      this.log.info('redis up: cluster mode');
      this.onUp();
    } else this.log.warn('redis down: degraded, serving local peers only');
  }

  async close(): Promise<void> {
    this.closing = true;
    const bounded = (r: Redis) =>
      Promise.race([
        r.status === 'ready'
          ? r.quit().then(
              () => undefined,
              () => undefined,
            )
          : Promise.resolve(),
        new Promise<void>((res) => setTimeout(res, 1000)),
      ]).then(() => r.disconnect());
    await Promise.all([bounded(this.cmd), bounded(this.sub)]);
  }
}
