/**
 * What the tracker does with each client message: rate limiting, announce (join, update, stop),
 * offer relay, answer relay (only for offers this tracker relayed to the answerer) and scrape.
 * Every refusal is a `failure reason` reply, counted by reason; nothing a client sends can throw.
 *
 * Local rules (rate limit, peer_id bound to its connection, tokens, swarms per connection) are
 * checked here against the Registry; what depends on the whole swarm (peer_id free on other
 * nodes, swarm size, which peers get offers, where an answer goes) is asked of the
 * SwarmMembership, which in a cluster answers asynchronously. Answers are matched against offers
 * delivered by this process to the answering peer, whichever node the offer came from.
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
import { take, tryTake } from './rate-limit.js';
import { OfferBook } from './offer-book.js';
import { isLocal, LocalMembership, NO_RELAY, type PeerRelay, type Refusal, type SwarmMembership, type SwarmView } from './membership.js';
import type { Client } from './client.js';
import { Member, type Registry, type Swarm } from './registry.js';

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
  | 'maxOffersPerTargetPerSecond'
  | 'offerBurstPerTarget'
  | 'maxScrapeHashes'
  | 'tokenSecrets'
>;

export interface HandlerErrorSink {
  (err: unknown, client: Client): void;
}

export class MessageHandler {
  private readonly limits: ParseLimits;

  constructor(
    private readonly cfg: HandlerConfig,
    private readonly registry: Registry,
    private readonly counters: Counters,
    private readonly onError: HandlerErrorSink = () => undefined,
    private readonly membership: SwarmMembership = new LocalMembership(registry),
    private readonly relay: PeerRelay = NO_RELAY,
  ) {
    this.limits = { maxOffersPerAnnounce: cfg.maxOffersPerAnnounce, maxScrapeHashes: cfg.maxScrapeHashes };
  }

  onMessage(client: Client, text: string): void {
    try {
      this.handle(client, text);
    } catch (err) {
      this.counters.reject('internal_error');
      this.onError(err, client);
    }
  }

  private refuse(client: Client, code: string, reason: string, infoHash?: string, action: 'announce' | 'scrape' = 'announce'): void {
    this.counters.reject(code);
    client.outbox.send(encodeFailure(reason, action, infoHash));
  }

  private handle(client: Client, text: string): void {
    const now = nowMs();
    const verdict = take(client, this.cfg.messagesPerSecond, this.cfg.messageBurst, now);
    if (verdict !== 'ok') {
      if (verdict === 'disconnect') {
        this.counters.reject('rate_limited_disconnect');
        client.outbox.close(CloseCode.PolicyViolation, 'rate limit');
        return;
      }
      return this.refuse(client, 'rate_limited', 'rate limit exceeded');
    }
    const parsed = parseRequest(text, this.limits);
    if (!parsed.ok) return this.refuse(client, parsed.code, parsed.reason, parsed.infoHash, parsed.action);
    const req = parsed.request;
    if (req.kind === 'announce') this.announce(client, req, now);
    else if (req.kind === 'answer') this.answer(client, req, now);
    else this.scrape(client, req);
  }

  private announce(client: Client, req: AnnounceRequest, now: number): void {
    const ih = req.infoHash;
    let swarm = this.registry.swarms.get(ih);
    let member = swarm?.peers.get(req.peerId);
    if (member !== undefined && member.client !== client) {
      return this.refuse(client, 'peer_id_taken', 'peer_id is in use by another connection', ih);
    }
    if (req.event === 'stopped') {
      if (member !== undefined) {
        this.registry.leave(member, now);
        this.counters.leaves++;
      }
      this.counters.announces++;
      swarm = this.registry.swarms.get(ih);
      return this.reply(client, swarm?.infoHashJson ?? jsonId(ih), swarm?.complete ?? 0, swarm?.incomplete ?? 0);
    }
    const isNew = member === undefined;
    if (member === undefined) {
      const refusal = this.admit(client, req, swarm);
      if (refusal !== undefined) return this.refuse(client, refusal[0], refusal[1], ih);
      member = this.registry.join(swarm, ih, req.peerId, client, now);
      member.offersIn.tokens = this.cfg.offerBurstPerTarget * 1000;
      member.offersIn.tokensAt = now;
    }
    const s = member.swarm;
    member.lastAnnounce = now;
    if (!member.complete && (req.complete || req.event === 'completed')) {
      member.complete = true;
      s.complete++;
      if (req.event === 'completed') s.downloaded++;
    }
    member.introduced.setHeld(req.heldPeers);
    const m = member;
    this.membership.announce(m, isNew, Math.min(req.numwant, this.cfg.maxPeersReturned), (r) => this.announced(client, req, m, isNew, r));
  }

  /** Second half of an announce, once the membership has answered (at once, or from Redis). */
  private announced(client: Client, req: AnnounceRequest, member: Member, isNew: boolean, r: SwarmView | Refusal): void {
    const ih = req.infoHash;
    if (!r.ok) {
      // Refused cluster-wide (peer_id held on another node, swarm full): undo the local join. A
      // member already here whose peer_id another node holds with an older claim (both admitted
      // it while Redis was away) goes too: offers for that peer_id go to the other node.
      if (isNew) this.registry.leave(member, nowMs(), false);
      else if (r.code === 'peer_id_taken') this.registry.leave(member, nowMs());
      return this.refuse(client, r.code, r.reason, ih);
    }
    if (isNew) this.counters.joins++;
    this.counters.announces++;
    const ihJson = member.swarm.infoHashJson;
    this.reply(client, ihJson, r.complete, r.incomplete);
    // The peer may have stopped or gone while the membership answered.
    if (member.index < 0) return;
    const fromJson = jsonId(req.peerId);
    const targets = r.targets;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const item = req.offers[i]!;
      const description = encodeDescription(item.offer);
      if (isLocal(t)) {
        if (!this.deliverOffer(t, item.offerId, member, fromJson, description, ihJson)) continue;
      } else {
        (member.sentRemote ??= new OfferBook(this.cfg.maxPendingOffersPerPeer)).set(
          item.offerId + t.peerId,
          true,
          nowMs() + this.cfg.offerTtlMs,
        );
        this.relay.offer(t.node, ih, t.peerId, req.peerId, item.offerId, description);
      }
      this.counters.offersRelayed++;
    }
  }

  /**
   * Hands an offer to a local peer and remembers it, so that this peer's answer (and only an
   * answer to an offer it really received) is relayed back, to the member that made the offer.
   * Also used for offers from other nodes: `from` is then the node the answer will go to.
   * A peer receives at most maxOffersPerTargetPerSecond offers (each makes its browser build a
   * peer connection): beyond that they are dropped, and false is returned.
   */
  deliverOffer(
    target: Member,
    offerId: string,
    from: Member | { readonly node: string; readonly peerId: string },
    fromJson: string,
    descriptionJson: string,
    infoHashJson: string,
  ): boolean {
    if (!tryTake(target.offersIn, this.cfg.maxOffersPerTargetPerSecond, this.cfg.offerBurstPerTarget, nowMs())) {
      this.counters.reject('offer_target_busy');
      return false;
    }
    const pending = (target.pending ??= new OfferBook(this.cfg.maxPendingOffersPerPeer));
    pending.set(offerId + from.peerId, from instanceof Member ? from : from.node, nowMs() + this.cfg.offerTtlMs);
    target.client.outbox.send(encodeOfferRelay(descriptionJson, jsonId(offerId), fromJson, infoHashJson));
    return true;
  }

  /** Checks whether a newcomer may join; returns [code, reason] when not. */
  private admit(client: Client, req: AnnounceRequest, swarm: Swarm | undefined): [string, string] | undefined {
    const secrets = this.cfg.tokenSecrets;
    if (secrets.length > 0) {
      const token = req.token ?? client.urlToken;
      if (token === undefined) return ['token_required', 'join token required'];
      const check = verifyJoinToken(token, secrets, binaryToHex(req.infoHash), Math.floor(Date.now() / 1000));
      if (check !== 'ok') return [`token_${check}`, `join token rejected: ${check.replace('_', ' ')}`];
    }
    if ((client.members?.length ?? 0) >= this.cfg.maxSwarmsPerConnection) {
      return ['connection_swarm_limit', `too many swarms on this connection (max ${this.cfg.maxSwarmsPerConnection})`];
    }
    if (swarm === undefined) {
      if (this.registry.swarms.size >= this.cfg.maxSwarms) return ['tracker_swarm_limit', 'tracker is at its swarm limit'];
    } else if (swarm.list.length >= this.cfg.maxPeersPerSwarm) {
      return ['swarm_full', `swarm is full (max ${this.cfg.maxPeersPerSwarm} peers)`];
    }
    return undefined;
  }

  private reply(client: Client, infoHashJson: string, complete: number, incomplete: number): void {
    client.outbox.send(
      encodeAnnounceReply({
        infoHashJson,
        complete,
        incomplete,
        intervalSec: this.cfg.intervalSec,
        minIntervalSec: this.cfg.minIntervalSec,
      }),
    );
  }

  private answer(client: Client, req: AnswerRequest, now: number): void {
    const ih = req.infoHash;
    this.counters.answers++;
    const swarm = this.registry.swarms.get(ih);
    const member: Member | undefined = swarm?.peers.get(req.peerId);
    if (swarm === undefined || member === undefined)
      return this.refuse(client, 'answer_not_member', 'answering peer is not in this swarm', ih);
    if (member.client !== client) return this.refuse(client, 'peer_id_taken', 'peer_id is in use by another connection', ih);
    const from = member.pending?.take(req.offerId + req.toPeerId, now);
    if (from === undefined) return this.refuse(client, 'answer_unknown_offer', 'answer does not match an offer relayed to this peer', ih);
    if (from === 'expired') return this.refuse(client, 'answer_offer_expired', 'offer has expired', ih);
    member.lastAnnounce = now;
    const description = encodeDescription(req.answer);
    if (typeof from === 'string') {
      // The offer came through another node: the answer goes back there, which hands it to the
      // offering peer if that peer is still connected to it.
      this.relay.answer(from, ih, req.toPeerId, req.peerId, req.offerId, description);
      this.counters.answersRelayed++;
      return;
    }
    // Only to the member that made the offer: a newcomer that took its peer_id since gets nothing.
    if (swarm.peers.get(req.toPeerId) !== from) return this.refuse(client, 'answer_peer_gone', 'offering peer has left the swarm', ih);
    from.client.outbox.send(encodeAnswerRelay(description, jsonId(req.offerId), jsonId(req.peerId), swarm.infoHashJson));
    this.counters.answersRelayed++;
  }

  /** An answer relayed by another node to a local peer (matched there against a delivered offer). */
  deliverAnswer(infoHash: string, toPeerId: string, fromPeerId: string, offerId: string, descriptionJson: string): boolean {
    const swarm = this.registry.swarms.get(infoHash);
    const target = swarm?.peers.get(toPeerId);
    if (swarm === undefined || target === undefined) return false;
    // Only if this very member made that offer (not an earlier holder of its peer_id).
    const sent = target.sentRemote?.take(offerId + fromPeerId, nowMs());
    if (sent !== true) return false;
    target.client.outbox.send(encodeAnswerRelay(descriptionJson, jsonId(offerId), jsonId(fromPeerId), swarm.infoHashJson));
    return true;
  }

  private scrape(client: Client, req: ScrapeRequest): void {
    if (req.infoHashes.length === 0) {
      return this.refuse(client, 'full_scrape', 'scrape needs info_hash (full scrape is disabled)', undefined, 'scrape');
    }
    this.counters.scrapes++;
    this.membership.counts(req.infoHashes, (counts) => {
      const files: ScrapeFile[] = req.infoHashes.map((infoHash, i) => {
        // downloaded is this node's count: completions are not shared between nodes.
        const downloaded = this.registry.swarms.get(infoHash)?.downloaded ?? 0;
        return { infoHash, complete: counts[i]?.complete ?? 0, incomplete: counts[i]?.incomplete ?? 0, downloaded };
      });
      client.outbox.send(encodeScrapeReply(files, this.cfg.minIntervalSec));
    });
  }
}
