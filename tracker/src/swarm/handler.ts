/**
 * What the tracker does with each client message: rate limiting, announce (join, update, stop),
 * offer relay, answer relay (only for offers this tracker relayed to the answerer) and scrape.
 * Every refusal is a `failure reason` reply, counted by reason; nothing a client sends can throw.
 */
import type { TrackerConfig } from '../config/fields.js';
import { verifyJoinToken } from '../auth/tokens.js';
import { binaryToHex } from '../protocol/ids.js';
import { parseRequest, type AnnounceRequest, type AnswerRequest, type ParseLimits, type ScrapeRequest } from '../protocol/messages.js';
import {
  encodeAnnounceReply,
  encodeAnswerRelay,
  encodeDescription,
  encodeFailure,
  encodeOfferRelay,
  encodeScrapeReply,
  jsonId,
  type ScrapeFile,
} from '../protocol/encode.js';
import { CloseCode, nowMs } from '../ws/connection.js';
import type { Counters } from './counters.js';
import { take } from './rate-limit.js';
import type { Conn, Member, Registry, Swarm } from './registry.js';

export type HandlerConfig = Pick<
  TrackerConfig,
  | 'intervalSec'
  | 'minIntervalSec'
  | 'maxOffersPerAnnounce'
  | 'maxPeersReturned'
  | 'maxPeersPerSwarm'
  | 'maxSwarms'
  | 'maxSwarmsPerConnection'
  | 'messagesPerSecond'
  | 'messageBurst'
  | 'offerTtlMs'
  | 'maxPendingOffersPerPeer'
  | 'maxScrapeHashes'
  | 'tokenSecrets'
>;

export interface HandlerErrorSink {
  (err: unknown, conn: Conn): void;
}

export class MessageHandler {
  private readonly limits: ParseLimits;

  constructor(
    private readonly cfg: HandlerConfig,
    private readonly registry: Registry,
    private readonly counters: Counters,
    private readonly onError: HandlerErrorSink = () => undefined,
  ) {
    this.limits = { maxOffersPerAnnounce: cfg.maxOffersPerAnnounce, maxScrapeHashes: cfg.maxScrapeHashes };
  }

  onMessage(conn: Conn, text: string): void {
    try {
      this.handle(conn, text);
    } catch (err) {
      this.counters.reject('internal_error');
      this.onError(err, conn);
    }
  }

  private refuse(conn: Conn, code: string, reason: string, infoHash?: string, action: 'announce' | 'scrape' = 'announce'): void {
    this.counters.reject(code);
    conn.send(encodeFailure(reason, action, infoHash));
  }

  private handle(conn: Conn, text: string): void {
    const now = nowMs();
    const verdict = take(conn, this.cfg.messagesPerSecond, this.cfg.messageBurst, now);
    if (verdict !== 'ok') {
      if (verdict === 'disconnect') {
        this.counters.reject('rate_limited_disconnect');
        conn.close(CloseCode.PolicyViolation, 'rate limit');
        return;
      }
      return this.refuse(conn, 'rate_limited', 'rate limit exceeded');
    }
    const parsed = parseRequest(text, this.limits);
    if (!parsed.ok) return this.refuse(conn, parsed.code, parsed.reason, parsed.infoHash, parsed.action);
    const req = parsed.request;
    if (req.kind === 'announce') this.announce(conn, req, now);
    else if (req.kind === 'answer') this.answer(conn, req, now);
    else this.scrape(conn, req);
  }

  private announce(conn: Conn, req: AnnounceRequest, now: number): void {
    const ih = req.infoHash;
    let swarm = this.registry.swarms.get(ih);
    let member = swarm?.peers.get(req.peerId);
    if (member !== undefined && member.conn !== conn) {
      return this.refuse(conn, 'peer_id_taken', 'peer_id is in use by another connection', ih);
    }
    if (req.event === 'stopped') {
      if (member !== undefined) {
        this.registry.leave(member, now);
        this.counters.leaves++;
      }
      this.counters.announces++;
      swarm = this.registry.swarms.get(ih);
      return this.reply(conn, swarm, ih);
    }
    if (member === undefined) {
      const refusal = this.admit(conn, req, swarm);
      if (refusal !== undefined) return this.refuse(conn, refusal[0], refusal[1], ih);
      member = this.registry.join(swarm, ih, req.peerId, conn, now);
      swarm = member.swarm;
      this.counters.joins++;
    }
    const s = member.swarm;
    member.lastAnnounce = now;
    if (!member.complete && (req.complete || req.event === 'completed')) {
      member.complete = true;
      s.complete++;
      if (req.event === 'completed') s.downloaded++;
    }
    this.counters.announces++;
    this.reply(conn, s, ih);

    const n = Math.min(req.numwant, this.cfg.maxPeersReturned);
    if (n === 0) return;
    const targets = this.registry.pick(s, n, member);
    const fromJson = jsonId(req.peerId);
    const expires = now + this.cfg.offerTtlMs;
    const maxPending = this.cfg.maxPendingOffersPerPeer;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const item = req.offers[i]!;
      const pending = (t.pending ??= new Map());
      const key = item.offerId + req.peerId;
      pending.delete(key);
      if (pending.size >= maxPending) {
        const oldest = pending.keys().next();
        if (!oldest.done) pending.delete(oldest.value);
      }
      pending.set(key, expires);
      t.conn.send(encodeOfferRelay(encodeDescription(item.offer), jsonId(item.offerId), fromJson, s.infoHashJson));
      this.counters.offersRelayed++;
    }
  }

  /** Checks whether a newcomer may join; returns [code, reason] when not. */
  private admit(conn: Conn, req: AnnounceRequest, swarm: Swarm | undefined): [string, string] | undefined {
    const secrets = this.cfg.tokenSecrets;
    if (secrets.length > 0) {
      const token = req.token ?? conn.urlToken;
      if (token === undefined) return ['token_required', 'join token required'];
      const check = verifyJoinToken(token, secrets, binaryToHex(req.infoHash), Math.floor(Date.now() / 1000));
      if (check !== 'ok') return [`token_${check}`, `join token rejected: ${check.replace('_', ' ')}`];
    }
    if ((conn.members?.length ?? 0) >= this.cfg.maxSwarmsPerConnection) {
      return ['connection_swarm_limit', `too many swarms on this connection (max ${this.cfg.maxSwarmsPerConnection})`];
    }
    if (swarm === undefined) {
      if (this.registry.swarms.size >= this.cfg.maxSwarms) return ['tracker_swarm_limit', 'tracker is at its swarm limit'];
    } else if (swarm.list.length >= this.cfg.maxPeersPerSwarm) {
      return ['swarm_full', `swarm is full (max ${this.cfg.maxPeersPerSwarm} peers)`];
    }
    return undefined;
  }

  private reply(conn: Conn, swarm: Swarm | undefined, infoHash: string): void {
    conn.send(
      encodeAnnounceReply({
        infoHashJson: swarm?.infoHashJson ?? jsonId(infoHash),
        complete: swarm?.complete ?? 0,
        incomplete: swarm?.incomplete ?? 0,
        intervalSec: this.cfg.intervalSec,
        minIntervalSec: this.cfg.minIntervalSec,
      }),
    );
  }

  private answer(conn: Conn, req: AnswerRequest, now: number): void {
    const ih = req.infoHash;
    this.counters.answers++;
    const swarm = this.registry.swarms.get(ih);
    const member: Member | undefined = swarm?.peers.get(req.peerId);
    if (swarm === undefined || member === undefined) return this.refuse(conn, 'answer_not_member', 'answering peer is not in this swarm', ih);
    if (member.conn !== conn) return this.refuse(conn, 'peer_id_taken', 'peer_id is in use by another connection', ih);
    const key = req.offerId + req.toPeerId;
    const expires = member.pending?.get(key);
    if (expires === undefined) return this.refuse(conn, 'answer_unknown_offer', 'answer does not match an offer relayed to this peer', ih);
    member.pending!.delete(key);
    if (expires < now) return this.refuse(conn, 'answer_offer_expired', 'offer has expired', ih);
    const target = swarm.peers.get(req.toPeerId);
    if (target === undefined) return this.refuse(conn, 'answer_peer_gone', 'offering peer has left the swarm', ih);
    member.lastAnnounce = now;
    target.conn.send(encodeAnswerRelay(encodeDescription(req.answer), jsonId(req.offerId), jsonId(req.peerId), swarm.infoHashJson));
    this.counters.answersRelayed++;
  }

  private scrape(conn: Conn, req: ScrapeRequest): void {
    if (req.infoHashes.length === 0) {
      return this.refuse(conn, 'full_scrape', 'scrape needs info_hash (full scrape is disabled)', undefined, 'scrape');
    }
    this.counters.scrapes++;
    const files: ScrapeFile[] = req.infoHashes.map((infoHash) => {
      const s = this.registry.swarms.get(infoHash);
      return { infoHash, complete: s?.complete ?? 0, incomplete: s?.incomplete ?? 0, downloaded: s?.downloaded ?? 0 };
    });
    conn.send(encodeScrapeReply(files, this.cfg.minIntervalSec));
  }
}
