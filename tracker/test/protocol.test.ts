// Pure protocol: parsing/validation of client messages and encoding of replies.
import { describe, expect, it } from 'vitest';
import { parseRequest, type ParseResult } from '../src/protocol/messages.js';
import {
  encodeAnnounceReply,
  encodeAnswerRelay,
  encodeDescription,
  encodeFailure,
  encodeOfferRelay,
  encodeScrapeReply,
  jsonId,
} from '../src/protocol/encode.js';
import { binaryToHex, hexToBinary, isBinaryId, isHexId } from '../src/protocol/ids.js';
import { binId } from './helpers.js';

const limits = { maxOffersPerAnnounce: 10, maxScrapeHashes: 4 };
const parse = (m: unknown): ParseResult => parseRequest(typeof m === 'string' ? m : JSON.stringify(m), limits);
const ih = binId();
const pid = binId();
const HELD_REASON = 'held_peers must be at most 64 peer ids of 40 hex digits';

describe('ids', () => {
  it('accepts exactly 20 characters in 0..255', () => {
    expect(isBinaryId('a'.repeat(20))).toBe(true);
    expect(isBinaryId('\u0000\u00ff'.repeat(10))).toBe(true);
    expect(isBinaryId('a'.repeat(19))).toBe(false);
    expect(isBinaryId('a'.repeat(21))).toBe(false);
    expect(isBinaryId('a'.repeat(19) + '\u0100')).toBe(false);
    expect(isBinaryId('a'.repeat(19) + '😀'.slice(0, 1))).toBe(false);
    expect(isBinaryId(10 ** 19)).toBe(false); // a number, even of 20 digits, is no id
  });
  it('converts between binary and hex', () => {
    const hex = 'ff00'.repeat(10);
    expect(isHexId(hex)).toBe(true);
    expect(isHexId(hex.toUpperCase())).toBe(false);
    expect(binaryToHex(hexToBinary(hex))).toBe(hex);
  });
});

describe('parseRequest', () => {
  it('parses an announce with offers', () => {
    const offerId = binId();
    const r = parse({
      action: 'announce',
      info_hash: ih,
      peer_id: pid,
      event: 'started',
      numwant: 3,
      left: 0,
      offers: [{ offer: { type: 'offer', sdp: 'x' }, offer_id: offerId }],
    });
    expect(r).toEqual({
      ok: true,
      request: {
        kind: 'announce',
        infoHash: ih,
        peerId: pid,
        event: 'started',
        numwant: 1,
        complete: true,
        offers: [{ offerId, offer: { type: 'offer', sdp: 'x' } }],
        token: undefined,
        heldPeers: [],
      },
    });
  });

  it('reads the peers a viewer already holds (held_peers, hex) as binary peer_ids', () => {
    const held = binId();
    const r = parse({ action: 'announce', info_hash: ih, peer_id: pid, held_peers: [binaryToHex(held)] });
    expect(r.ok && r.request.kind === 'announce' && r.request.heldPeers).toEqual([held]);
  });

  it('treats no event and "empty" as update, and numwant defaults to the offers', () => {
    const r = parse({
      action: 'announce',
      info_hash: ih,
      peer_id: pid,
      offers: [{ offer: { type: 'offer', sdp: '' }, offer_id: binId() }],
    });
    expect(r.ok && r.request.kind === 'announce' && [r.request.event, r.request.numwant]).toEqual(['update', 1]);
    const e = parse({ action: 'announce', info_hash: ih, peer_id: pid, event: 'empty' });
    expect(e.ok && e.request.kind === 'announce' && e.request.event).toBe('update');
  });

  it('parses an answer', () => {
    const to = binId();
    const oid = binId();
    const r = parse({
      action: 'announce',
      info_hash: ih,
      peer_id: pid,
      to_peer_id: to,
      offer_id: oid,
      answer: { type: 'answer', sdp: 's' },
    });
    expect(r).toEqual({
      ok: true,
      request: { kind: 'answer', infoHash: ih, peerId: pid, toPeerId: to, offerId: oid, answer: { type: 'answer', sdp: 's' } },
    });
  });

  it('parses scrapes with one, many or no info_hash', () => {
    expect(parse({ action: 'scrape', info_hash: ih })).toEqual({ ok: true, request: { kind: 'scrape', infoHashes: [ih] } });
    expect(parse({ action: 'scrape', info_hash: [ih, ih] })).toEqual({ ok: true, request: { kind: 'scrape', infoHashes: [ih] } });
    expect(parse({ action: 'scrape' })).toEqual({ ok: true, request: { kind: 'scrape', infoHashes: [] } });
  });

  const bad: [string, unknown, string][] = [
    ['bad_json', '{not json', 'invalid JSON'],
    ['bad_json', '[1,2]', 'message must be a JSON object'],
    ['bad_json', 'null', 'message must be a JSON object'],
    ['bad_action', { action: 'connect' }, 'invalid action'],
    ['bad_info_hash', { action: 'announce', info_hash: 'short', peer_id: pid }, 'invalid info_hash'],
    ['bad_info_hash', { action: 'announce', info_hash: 'ab'.repeat(20), peer_id: pid }, 'invalid info_hash'],
    ['bad_peer_id', { action: 'announce', info_hash: ih, peer_id: 'x'.repeat(19) + 'Ā' }, 'invalid peer_id'],
    ['bad_event', { action: 'announce', info_hash: ih, peer_id: pid, event: 'exploded' }, 'invalid event'],
    ['bad_offer', { action: 'announce', info_hash: ih, peer_id: pid, offers: 'nope' }, 'offers must be an array'],
    [
      'bad_offer',
      { action: 'announce', info_hash: ih, peer_id: pid, offers: [{ offer: { type: 'answer', sdp: '' }, offer_id: binId() }] },
      'invalid offer',
    ],
    [
      'bad_offer',
      { action: 'announce', info_hash: ih, peer_id: pid, offers: [{ offer: { type: 'offer', sdp: 1 }, offer_id: binId() }] },
      'invalid offer',
    ],
    [
      'bad_offer',
      { action: 'announce', info_hash: ih, peer_id: pid, offers: [{ offer: { type: 'offer', sdp: '' }, offer_id: 'short' }] },
      'invalid offer',
    ],
    [
      'too_many_offers',
      {
        action: 'announce',
        info_hash: ih,
        peer_id: pid,
        offers: Array(11).fill({ offer: { type: 'offer', sdp: '' }, offer_id: 'a'.repeat(20) }),
      },
      'too many offers (max 10)',
    ],
    [
      'bad_answer',
      { action: 'announce', info_hash: ih, peer_id: pid, answer: { type: 'offer', sdp: '' }, to_peer_id: pid, offer_id: pid },
      'invalid answer',
    ],
    [
      'bad_answer',
      { action: 'announce', info_hash: ih, peer_id: pid, answer: { type: 'answer', sdp: '' }, offer_id: pid },
      'invalid to_peer_id',
    ],
    [
      'bad_answer',
      { action: 'announce', info_hash: ih, peer_id: pid, answer: { type: 'answer', sdp: '' }, to_peer_id: pid },
      'invalid offer_id',
    ],
    ['bad_token', { action: 'announce', info_hash: ih, peer_id: pid, token: 42 }, 'invalid token'],
    ['bad_held_peers', { action: 'announce', info_hash: ih, peer_id: pid, held_peers: 'ab' }, HELD_REASON],
    ['bad_held_peers', { action: 'announce', info_hash: ih, peer_id: pid, held_peers: [pid] }, HELD_REASON],
    ['bad_held_peers', { action: 'announce', info_hash: ih, peer_id: pid, held_peers: Array(65).fill('ab'.repeat(20)) }, HELD_REASON],
    ['too_many_hashes', { action: 'scrape', info_hash: [ih, ih, ih, ih, ih] }, 'too many info_hashes (max 4)'],
    ['bad_info_hash', { action: 'scrape', info_hash: [ih, 7] }, 'invalid info_hash'],
  ];
  it.each(bad)('rejects %s: %j', (code, msg, reason) => {
    const r = parse(msg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.code, r.reason]).toEqual([code, reason]);
  });

  it('names the info_hash in failures once it is known', () => {
    const r = parse({ action: 'announce', info_hash: ih, peer_id: 'bad' });
    expect(!r.ok && r.infoHash).toBe(ih);
  });
});

describe('encode', () => {
  it('builds replies that parse back to what the client expects', () => {
    const reply = JSON.parse(
      encodeAnnounceReply({ infoHashJson: jsonId(ih), complete: 1, incomplete: 2, intervalSec: 120, minIntervalSec: 60 }),
    ) as Record<string, unknown>;
    expect(reply).toEqual({ action: 'announce', interval: 120, 'min interval': 60, info_hash: ih, complete: 1, incomplete: 2 });
    const d = encodeDescription({ type: 'offer', sdp: 'a\r\n"b"' });
    const oid = binId();
    expect(JSON.parse(encodeOfferRelay(d, jsonId(oid), jsonId(pid), jsonId(ih)))).toEqual({
      action: 'announce',
      offer: { type: 'offer', sdp: 'a\r\n"b"' },
      offer_id: oid,
      peer_id: pid,
      info_hash: ih,
    });
    const a = encodeDescription({ type: 'answer', sdp: 'z' });
    expect(JSON.parse(encodeAnswerRelay(a, jsonId(oid), jsonId(pid), jsonId(ih)))).toEqual({
      action: 'announce',
      answer: { type: 'answer', sdp: 'z' },
      offer_id: oid,
      peer_id: pid,
      info_hash: ih,
    });
    expect(JSON.parse(encodeScrapeReply([{ infoHash: ih, complete: 1, incomplete: 3, downloaded: 2 }], 60))).toEqual({
      action: 'scrape',
      files: { [ih]: { complete: 1, incomplete: 3, downloaded: 2 } },
      flags: { min_request_interval: 60 },
    });
    expect(JSON.parse(encodeFailure('no "way"', 'announce', ih))).toEqual({
      action: 'announce',
      'failure reason': 'no "way"',
      info_hash: ih,
    });
    expect(JSON.parse(encodeFailure('bad', 'scrape'))).toEqual({ action: 'scrape', 'failure reason': 'bad' });
  });
});
