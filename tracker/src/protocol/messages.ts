/**
 * Parsing and validation of WebTorrent tracker messages (client -> tracker). Pure: text in, a
 * typed request or a typed failure out. Never throws.
 */
import { hexToBinary, isBinaryId, isHexId } from './ids.js';

export type AnnounceEvent = 'started' | 'stopped' | 'completed' | 'update' | 'paused';

/** A WebRTC session description as simple-peer signals it with trickle disabled. */
export interface SessionDescription {
  readonly type: 'offer' | 'answer';
  readonly sdp: string;
}

export interface OfferItem {
  readonly offerId: string;
  readonly offer: SessionDescription;
}

export interface AnnounceRequest {
  readonly kind: 'announce';
  readonly infoHash: string;
  readonly peerId: string;
  readonly event: AnnounceEvent;
  /** Peers the client wants offers sent to; defaults to the number of offers. */
  readonly numwant: number;
  /** True when the client says it has everything (left === 0). */
  readonly complete: boolean;
  readonly offers: readonly OfferItem[];
  readonly token: string | undefined;
  /**
   * Binary peer_ids of the viewers the client already holds connections to (`held_peers`, a
   * Shoal extension: 40-hex ids, at most MAX_HELD_PEERS): its offers go to the others first.
   */
  readonly heldPeers: readonly string[];
}

export interface AnswerRequest {
  readonly kind: 'answer';
  readonly infoHash: string;
  readonly peerId: string;
  readonly toPeerId: string;
  readonly offerId: string;
  readonly answer: SessionDescription;
}

export interface ScrapeRequest {
  readonly kind: 'scrape';
  /** Binary info_hashes; empty when the client asked for every swarm. */
  readonly infoHashes: readonly string[];
}

export type TrackerRequest = AnnounceRequest | AnswerRequest | ScrapeRequest;

/** Machine-readable reasons, also used as metric labels. */
export type ProtocolRejection =
  | 'bad_json'
  | 'bad_action'
  | 'bad_info_hash'
  | 'bad_peer_id'
  | 'bad_event'
  | 'bad_offer'
  | 'bad_answer'
  | 'bad_token'
  | 'bad_held_peers'
  | 'too_many_offers'
  | 'too_many_hashes';

export interface ParseFailure {
  readonly ok: false;
  readonly code: ProtocolRejection;
  readonly reason: string;
  /** Present when the message carried a valid info_hash, so the reply can name it. */
  readonly infoHash: string | undefined;
  readonly action: 'announce' | 'scrape' | undefined;
}

export type ParseResult = { readonly ok: true; readonly request: TrackerRequest } | ParseFailure;

export interface ParseLimits {
  readonly maxOffersPerAnnounce: number;
  readonly maxScrapeHashes: number;
}

const EVENTS: ReadonlySet<string> = new Set(['started', 'stopped', 'completed', 'update', 'paused', 'empty']);
const MAX_TOKEN_LENGTH = 1024;
/** As many as a member's introductions remember (swarm/introductions.ts); a viewer holds far fewer. */
export const MAX_HELD_PEERS = 64;

function fail(code: ProtocolRejection, reason: string, infoHash?: string, action?: 'announce' | 'scrape'): ParseFailure {
  return { ok: false, code, reason, infoHash, action };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sessionDescription(v: unknown, type: 'offer' | 'answer'): SessionDescription | undefined {
  if (!isRecord(v) || v.type !== type || typeof v.sdp !== 'string') return undefined;
  return { type, sdp: v.sdp };
}

export function parseRequest(text: string, limits: ParseLimits): ParseResult {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return fail('bad_json', 'invalid JSON');
  }
  if (!isRecord(msg)) return fail('bad_json', 'message must be a JSON object');
  if (msg.action === 'announce') return parseAnnounce(msg, limits);
  if (msg.action === 'scrape') return parseScrape(msg, limits);
  return fail('bad_action', 'invalid action');
}

function parseAnnounce(msg: Record<string, unknown>, limits: ParseLimits): ParseResult {
  const infoHash = msg.info_hash;
  if (!isBinaryId(infoHash)) return fail('bad_info_hash', 'invalid info_hash', undefined, 'announce');
  const peerId = msg.peer_id;
  if (!isBinaryId(peerId)) return fail('bad_peer_id', 'invalid peer_id', infoHash, 'announce');

  if (msg.answer !== undefined) {
    const answer = sessionDescription(msg.answer, 'answer');
    if (!answer) return fail('bad_answer', 'invalid answer', infoHash, 'announce');
    if (!isBinaryId(msg.to_peer_id)) return fail('bad_answer', 'invalid to_peer_id', infoHash, 'announce');
    if (!isBinaryId(msg.offer_id)) return fail('bad_answer', 'invalid offer_id', infoHash, 'announce');
    const request: AnswerRequest = { kind: 'answer', infoHash, peerId, toPeerId: msg.to_peer_id, offerId: msg.offer_id, answer };
    return { ok: true, request };
  }

  const rawEvent = msg.event;
  let event: AnnounceEvent = 'update';
  if (rawEvent !== undefined && rawEvent !== null) {
    if (typeof rawEvent !== 'string' || !EVENTS.has(rawEvent)) return fail('bad_event', 'invalid event', infoHash, 'announce');
    if (rawEvent !== 'empty') event = rawEvent as AnnounceEvent;
  }

  const offers: OfferItem[] = [];
  const rawOffers = msg.offers;
  if (rawOffers !== undefined && rawOffers !== null && event !== 'stopped') {
    if (!Array.isArray(rawOffers)) return fail('bad_offer', 'offers must be an array', infoHash, 'announce');
    if (rawOffers.length > limits.maxOffersPerAnnounce) {
      return fail('too_many_offers', `too many offers (max ${limits.maxOffersPerAnnounce})`, infoHash, 'announce');
    }
    for (const item of rawOffers as unknown[]) {
      if (!isRecord(item)) return fail('bad_offer', 'invalid offer', infoHash, 'announce');
      const offer = sessionDescription(item.offer, 'offer');
      if (!offer || !isBinaryId(item.offer_id)) return fail('bad_offer', 'invalid offer', infoHash, 'announce');
      offers.push({ offerId: item.offer_id, offer });
    }
  }

  let numwant = offers.length;
  const rawWant = msg.numwant;
  if (typeof rawWant === 'number' && Number.isFinite(rawWant) && rawWant >= 0) numwant = Math.min(Math.floor(rawWant), offers.length);

  const token = msg.token;
  if (token !== undefined && (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)) {
    return fail('bad_token', 'invalid token', infoHash, 'announce');
  }
  const held = msg.held_peers ?? [];
  if (!Array.isArray(held) || held.length > MAX_HELD_PEERS || !held.every(isHexId)) {
    return fail('bad_held_peers', `held_peers must be at most ${MAX_HELD_PEERS} peer ids of 40 hex digits`, infoHash, 'announce');
  }

  const request: AnnounceRequest = {
    kind: 'announce',
    infoHash,
    peerId,
    event,
    numwant,
    complete: msg.left === 0 || msg.left === '0',
    offers,
    token,
    heldPeers: held.map(hexToBinary),
  };
  return { ok: true, request };
}

function parseScrape(msg: Record<string, unknown>, limits: ParseLimits): ParseResult {
  const raw = msg.info_hash;
  if (raw === undefined || raw === null) return { ok: true, request: { kind: 'scrape', infoHashes: [] } };
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (list.length > limits.maxScrapeHashes) {
    return fail('too_many_hashes', `too many info_hashes (max ${limits.maxScrapeHashes})`, undefined, 'scrape');
  }
  const infoHashes: string[] = [];
  for (const h of list) {
    if (!isBinaryId(h)) return fail('bad_info_hash', 'invalid info_hash', undefined, 'scrape');
    if (!infoHashes.includes(h)) infoHashes.push(h);
  }
  return { ok: true, request: { kind: 'scrape', infoHashes } };
}
