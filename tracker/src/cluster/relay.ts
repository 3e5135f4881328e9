/**
 * Offers and answers between nodes: each node reads only its own channel (<prefix>node:<id>) and
 * a message is published to the one node holding its recipient, never broadcast. A message is
 * one string: kind ('o' offer, 'a' answer), then info_hash, to, from and offer_id as 40 hex
 * characters each, the sending node's id and a space, then the session description as the JSON
 * the client will receive. An offer's receiver sends the answer straight back to that node (no
 * lookup). Nothing is parsed as JSON on the way; what arrives is checked for shape and size.
 */
import { binaryToHex, hexToBinary } from '../protocol/ids.js';
import { jsonId } from '../protocol/encode.js';
import type { PeerRelay } from '../swarm/membership.js';
import type { Member, Registry } from '../swarm/registry.js';

const HEAD = 1 + 4 * 40;
const HEX_HEAD = /^[oa][0-9a-f]{160}$/;
const NODE_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function inboxChannel(prefix: string, nodeId: string): string {
  return `${prefix}node:${nodeId}`;
}

export function encodeRelay(
  kind: 'o' | 'a',
  infoHash: string,
  to: string,
  from: string,
  offerId: string,
  node: string,
  descriptionJson: string,
): string {
  return kind + binaryToHex(infoHash) + binaryToHex(to) + binaryToHex(from) + binaryToHex(offerId) + node + ' ' + descriptionJson;
}

export interface RelayMessage {
  readonly kind: 'o' | 'a';
  /** Binary ids. */
  readonly infoHash: string;
  readonly to: string;
  readonly from: string;
  readonly offerId: string;
  /** The sending node. */
  readonly node: string;
  readonly descriptionJson: string;
}

/** Undefined for anything malformed or larger than maxBytes. */
export function decodeRelay(text: string, maxBytes: number): RelayMessage | undefined {
  if (text.length <= HEAD || text.length > HEAD + 65 + maxBytes) return undefined;
  if (!HEX_HEAD.test(text.slice(0, HEAD))) return undefined;
  const space = text.indexOf(' ', HEAD);
  const node = text.slice(HEAD, space);
  if (space < 0 || !NODE_ID.test(node)) return undefined;
  const desc = text.slice(space + 1);
  if (desc.length > maxBytes || !desc.startsWith('{"type":"') || !desc.endsWith('}')) return undefined;
  const id = (i: number) => hexToBinary(text.slice(1 + i * 40, 41 + i * 40));
  return { kind: text[0] as 'o' | 'a', infoHash: id(0), to: id(1), from: id(2), offerId: id(3), node, descriptionJson: desc };
}

export class RelayCounters {
  sent = 0;
  received = 0;
  /** Arrived for a peer no longer here (or receiving too many offers), or malformed. */
  dropped = 0;
  /** Could not be published (Redis away). */
  failed = 0;
}

interface Publisher {
  publish(channel: string, message: string): Promise<number>;
}

/** Deliveries into the local handler (see MessageHandler.deliverOffer / deliverAnswer). */
export interface LocalDelivery {
  deliverOffer(
    target: Member,
    offerId: string,
    from: { readonly node: string; readonly peerId: string },
    fromJson: string,
    descriptionJson: string,
    infoHashJson: string,
  ): boolean;
  deliverAnswer(infoHash: string, toPeerId: string, fromPeerId: string, offerId: string, descriptionJson: string): boolean;
}

export class RedisRelay implements PeerRelay {
  readonly counters = new RelayCounters();

  constructor(
    private readonly pub: Publisher,
    private readonly prefix: string,
    private readonly nodeId: string,
    private readonly registry: Registry,
    private readonly maxDescriptionBytes: number,
  ) {}

  offer(node: string, infoHash: string, to: string, from: string, offerId: string, descriptionJson: string): void {
    this.send(node, encodeRelay('o', infoHash, to, from, offerId, this.nodeId, descriptionJson));
  }

  answer(node: string, infoHash: string, to: string, from: string, offerId: string, descriptionJson: string): void {
    this.send(node, encodeRelay('a', infoHash, to, from, offerId, this.nodeId, descriptionJson));
  }

  private send(node: string, text: string): void {
    this.counters.sent++;
    this.pub.publish(inboxChannel(this.prefix, node), text).catch(() => this.counters.failed++);
  }

  /** A message from this node's channel. */
  receive(text: string, into: LocalDelivery): void {
    const msg = decodeRelay(text, this.maxDescriptionBytes);
    if (msg === undefined) {
      this.counters.dropped++;
      return;
    }
    this.counters.received++;
    if (msg.kind === 'a') {
      if (!into.deliverAnswer(msg.infoHash, msg.to, msg.from, msg.offerId, msg.descriptionJson)) this.counters.dropped++;
      return;
    }
    const swarm = this.registry.swarms.get(msg.infoHash);
    const target = swarm?.peers.get(msg.to);
    if (swarm === undefined || target === undefined) {
      this.counters.dropped++;
      return;
    }
    if (
      !into.deliverOffer(
        target,
        msg.offerId,
        { node: msg.node, peerId: msg.from },
        jsonId(msg.from),
        msg.descriptionJson,
        swarm.infoHashJson,
      )
    )
      this.counters.dropped++;
  }
}
