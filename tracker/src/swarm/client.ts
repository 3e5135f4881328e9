/**
 * The tracker's state for one client connection: the swarms it joined, its message bucket and its
 * stats allowance, next to the outbox that reaches it. Nothing here touches a socket.
 */
import type { Outbox } from './outbox.js';
import type { Bucket } from './rate-limit.js';
import type { Member } from './registry.js';
import { ReportAllowance } from '../stats/allowance.js';

export class Client<O extends Outbox = Outbox> implements Bucket {
  /** Swarm memberships held by this connection (null when none). */
  members: Member[] | null = null;
  tokens: number;
  tokensAt: number;
  /** Bounds what this connection's stats reports can add, over its life. */
  readonly allowance: ReportAllowance;

  constructor(
    readonly outbox: O,
    /** Join token given in the WebSocket URL (?token=...), if any. */
    readonly urlToken: string | undefined,
    /** messageBurst: the bucket starts full. */
    burst: number,
    /** Integer ms (nowMs) when the connection opened. */
    openedAt: number,
  ) {
    this.tokens = burst * 1000;
    this.tokensAt = openedAt;
    this.allowance = new ReportAllowance(openedAt);
  }

  get id(): number {
    return this.outbox.id;
  }

  get ip(): string {
    return this.outbox.ip;
  }
}
