/**
 * Encoding of tracker -> client messages as bittorrent-tracker's WebSocket client expects them.
 * Pure string building; ids are pre-encoded JSON strings (see jsonId) so hot paths encode each id
 * once, not once per message.
 */
import type { SessionDescription } from './messages.js';

/** A binary id as a JSON string literal, quotes included. */
export function jsonId(id: string): string {
  return JSON.stringify(id);
}

export function encodeDescription(d: SessionDescription): string {
  return `{"type":"${d.type}","sdp":${JSON.stringify(d.sdp)}}`;
}

export interface AnnounceReply {
  readonly infoHashJson: string;
  readonly complete: number;
  readonly incomplete: number;
  readonly intervalSec: number;
  readonly minIntervalSec: number;
}

export function encodeAnnounceReply(r: AnnounceReply): string {
  return (
    `{"action":"announce","interval":${r.intervalSec},"min interval":${r.minIntervalSec},` +
    `"info_hash":${r.infoHashJson},"complete":${r.complete},"incomplete":${r.incomplete}}`
  );
}

/** An offer from peer `fromPeerJson`, relayed to another peer of the swarm. */
export function encodeOfferRelay(descriptionJson: string, offerIdJson: string, fromPeerJson: string, infoHashJson: string): string {
  return `{"action":"announce","offer":${descriptionJson},"offer_id":${offerIdJson},"peer_id":${fromPeerJson},"info_hash":${infoHashJson}}`;
}

/** An answer from peer `fromPeerJson`, relayed back to the peer that made the offer. */
export function encodeAnswerRelay(descriptionJson: string, offerIdJson: string, fromPeerJson: string, infoHashJson: string): string {
  return `{"action":"announce","answer":${descriptionJson},"offer_id":${offerIdJson},"peer_id":${fromPeerJson},"info_hash":${infoHashJson}}`;
}

export interface ScrapeFile {
  readonly infoHash: string;
  readonly complete: number;
  readonly incomplete: number;
  readonly downloaded: number;
}

export function encodeScrapeReply(files: readonly ScrapeFile[], minIntervalSec: number): string {
  const parts = files.map(
    (f) => `${jsonId(f.infoHash)}:{"complete":${f.complete},"incomplete":${f.incomplete},"downloaded":${f.downloaded}}`,
  );
  return `{"action":"scrape","files":{${parts.join(',')}},"flags":{"min_request_interval":${minIntervalSec}}}`;
}

/**
 * A refusal. bittorrent-tracker's client only reads announce replies whose info_hash is its own,
 * so the info_hash is echoed whenever the request carried a valid one.
 */
export function encodeFailure(reason: string, action: 'announce' | 'scrape' = 'announce', infoHash?: string): string {
  const ih = infoHash === undefined ? '' : `,"info_hash":${jsonId(infoHash)}`;
  return `{"action":"${action}","failure reason":${JSON.stringify(reason)}${ih}}`;
}
