// Protocol behaviour over real WebSockets on ephemeral ports: announce, relays, scrape, stopped,
// intervals, failure replies, peer_id binding and answer validation.
import { describe, expect, it } from 'vitest';
import { binId, isAnswer, isFailure, isOffer, isReply, offers, sleep, TestClient, tracker } from './helpers.js';

describe('announce', () => {
  it('replies with intervals and swarm counts, on any path', async () => {
    const t = await tracker({ intervalSec: 90, minIntervalSec: 30 });
    const ih = binId();
    const a = await TestClient.open(`${t.wsUrl}/announce`);
    const b = await TestClient.open(t.wsUrl);
    expect(await a.join(ih, binId())).toEqual({
      action: 'announce',
      interval: 90,
      'min interval': 30,
      info_hash: ih,
      complete: 0,
      incomplete: 1,
    });
    expect(await b.join(ih, binId(), { left: 0 })).toMatchObject({ complete: 1, incomplete: 1 });
    expect(t.stats().tracker).toMatchObject({ swarms: 1, peers: 2, announces: 2 });
  });

  it('relays offers to other peers (never back to the sender), and answers back', async () => {
    const t = await tracker();
    const ih = binId();
    const [a, b, c] = await Promise.all([TestClient.open(t.wsUrl), TestClient.open(t.wsUrl), TestClient.open(t.wsUrl)]);
    const [pa, pb, pc] = [binId(), binId(), binId()];
    await b.join(ih, pb);
    await c.join(ih, pc);
    const sent = offers(5);
    a.announce(ih, pa, { event: 'started', offers: sent, numwant: 5 });
    expect(await a.next(isReply)).toMatchObject({ incomplete: 3 });
    const ob = await b.next(isOffer);
    const oc = await c.next(isOffer);
    expect(ob).toMatchObject({ action: 'announce', peer_id: pa, info_hash: ih, offer: sent[0]!.offer });
    expect(new Set([ob.offer_id, oc.offer_id]).size).toBe(2);
    expect(sent.map((o) => o.offer_id)).toContain(ob.offer_id);
    expect(await a.none(isOffer)).toBe(true);

    b.send({
      action: 'announce',
      info_hash: ih,
      peer_id: pb,
      to_peer_id: pa,
      offer_id: ob.offer_id,
      answer: { type: 'answer', sdp: 'answer-sdp' },
    });
    expect(await a.next(isAnswer)).toEqual({
      action: 'announce',
      answer: { type: 'answer', sdp: 'answer-sdp' },
      offer_id: ob.offer_id,
      peer_id: pb,
      info_hash: ih,
    });
    expect(await b.none(() => true)).toBe(true); // no reply to an answer
    expect(t.stats().tracker).toMatchObject({ offersRelayed: 2, answersRelayed: 1 });
  });

  it('caps relayed offers at maxPeersReturned and numwant', async () => {
    const t = await tracker({ maxPeersReturned: 2 });
    const ih = binId();
    const peers = await Promise.all(Array.from({ length: 4 }, () => TestClient.open(t.wsUrl)));
    for (const p of peers) await p.join(ih, binId());
    const a = await TestClient.open(t.wsUrl);
    a.announce(ih, binId(), { offers: offers(5), numwant: 5 });
    await a.next(isReply);
    await sleep(200);
    expect(t.stats().tracker.offersRelayed).toBe(2);
    a.announce(ih, binId(), { offers: offers(5), numwant: 1 });
    await sleep(200);
    expect(t.stats().tracker.offersRelayed).toBe(3);
  });

  it('scrapes, and refuses a full scrape', async () => {
    const t = await tracker();
    const ih = binId();
    const other = binId();
    const a = await TestClient.open(t.wsUrl);
    await a.join(ih, binId(), { left: 0, event: 'completed' });
    a.send({ action: 'scrape', info_hash: [ih, other] });
    expect(await a.next((m) => m.action === 'scrape')).toEqual({
      action: 'scrape',
      files: { [ih]: { complete: 1, incomplete: 0, downloaded: 1 }, [other]: { complete: 0, incomplete: 0, downloaded: 0 } },
      flags: { min_request_interval: 60 },
    });
    a.send({ action: 'scrape' });
    expect(await a.next(isFailure)).toEqual({ action: 'scrape', 'failure reason': 'scrape needs info_hash (full scrape is disabled)' });
  });

  it('stopped removes the peer; the empty swarm goes away', async () => {
    const t = await tracker();
    const ih = binId();
    const pid = binId();
    const a = await TestClient.open(t.wsUrl);
    await a.join(ih, pid);
    a.announce(ih, pid, { event: 'stopped' });
    expect(await a.next(isReply)).toMatchObject({ info_hash: ih, complete: 0, incomplete: 0 });
    expect(t.stats().tracker).toMatchObject({ swarms: 0, peers: 0 });
  });

  it('answers garbage with a failure reason and keeps the socket', async () => {
    const t = await tracker();
    const a = await TestClient.open(t.wsUrl);
    a.send('{"action":');
    expect(await a.next(isFailure)).toEqual({ action: 'announce', 'failure reason': 'invalid JSON' });
    const ih = binId();
    a.send({ action: 'announce', info_hash: ih, peer_id: 'short' });
    expect(await a.next(isFailure)).toEqual({ action: 'announce', 'failure reason': 'invalid peer_id', info_hash: ih });
    a.send({ action: 'announce', info_hash: ih, peer_id: binId(), event: 'boom' });
    expect((await a.next(isFailure))['failure reason']).toBe('invalid event');
    expect(await a.join(ih, binId())).toMatchObject({ incomplete: 1 });
  });
});

describe('identity and answers', () => {
  it('binds a peer_id to the first connection: another socket cannot announce, stop or answer as it', async () => {
    const t = await tracker();
    const ih = binId();
    const pid = binId();
    const owner = await TestClient.open(t.wsUrl);
    const thief = await TestClient.open(t.wsUrl);
    await owner.join(ih, pid);
    expect(await thief.join(ih, pid)).toMatchObject({ 'failure reason': 'peer_id is in use by another connection' });
    thief.announce(ih, pid, { event: 'stopped' });
    expect((await thief.next(isFailure))['failure reason']).toBe('peer_id is in use by another connection');
    thief.send({
      action: 'announce',
      info_hash: ih,
      peer_id: pid,
      to_peer_id: binId(),
      offer_id: binId(),
      answer: { type: 'answer', sdp: '' },
    });
    expect((await thief.next(isFailure))['failure reason']).toBe('peer_id is in use by another connection');
    expect(t.stats().tracker.peers).toBe(1);
    // Once the owner's socket is gone, the id is free again.
    owner.ws.close();
    await owner.closed;
    await sleep(50);
    expect(await thief.join(ih, pid)).toMatchObject({ incomplete: 1 });
  });

  it('relays an answer only for an offer it relayed to that peer, once', async () => {
    const t = await tracker();
    const ih = binId();
    const [a, b, c] = await Promise.all([TestClient.open(t.wsUrl), TestClient.open(t.wsUrl), TestClient.open(t.wsUrl)]);
    const [pa, pb, pc] = [binId(), binId(), binId()];
    await b.join(ih, pb);
    a.announce(ih, pa, { offers: offers(1) });
    const offer = await b.next(isOffer);
    await c.join(ih, pc);
    const answer = (from: string, to: string, offerId: unknown) => ({
      action: 'announce',
      info_hash: ih,
      peer_id: from,
      to_peer_id: to,
      offer_id: offerId,
      answer: { type: 'answer', sdp: 'x' },
    });
    // c never received that offer.
    c.send(answer(pc, pa, offer.offer_id));
    expect((await c.next(isFailure))['failure reason']).toBe('answer does not match an offer relayed to this peer');
    // b answers with a made-up offer id, or to the wrong peer.
    b.send(answer(pb, pa, binId()));
    expect((await b.next(isFailure))['failure reason']).toBe('answer does not match an offer relayed to this peer');
    b.send(answer(pb, pc, offer.offer_id));
    expect((await b.next(isFailure))['failure reason']).toBe('answer does not match an offer relayed to this peer');
    // A non-member cannot answer at all.
    const d = await TestClient.open(t.wsUrl);
    d.send(answer(binId(), pa, offer.offer_id));
    expect((await d.next(isFailure))['failure reason']).toBe('answering peer is not in this swarm');
    expect(await a.none(isAnswer)).toBe(true);
    // The real answer goes through, once.
    b.send(answer(pb, pa, offer.offer_id));
    expect(await a.next(isAnswer)).toMatchObject({ peer_id: pb, offer_id: offer.offer_id });
    b.send(answer(pb, pa, offer.offer_id));
    expect(await b.next(isFailure)).toBeTruthy();
    expect(t.stats().tracker.rejections).toMatchObject({ answer_unknown_offer: 4, answer_not_member: 1 });
  });

  it('refuses an answer to an expired offer', async () => {
    const t = await tracker({ offerTtlMs: 1000 });
    const ih = binId();
    const [a, b] = await Promise.all([TestClient.open(t.wsUrl), TestClient.open(t.wsUrl)]);
    const [pa, pb] = [binId(), binId()];
    await b.join(ih, pb);
    a.announce(ih, pa, { offers: offers(1) });
    const offer = await b.next(isOffer);
    await sleep(1100);
    b.send({
      action: 'announce',
      info_hash: ih,
      peer_id: pb,
      to_peer_id: pa,
      offer_id: offer.offer_id,
      answer: { type: 'answer', sdp: 'x' },
    });
    expect((await b.next(isFailure))['failure reason']).toBe('offer has expired');
    expect(await a.none(isAnswer)).toBe(true);
  });

  /** b holds an offer from a, which has then left; returns how b answers it. */
  async function offerFromDeparted() {
    const t = await tracker();
    const ih = binId();
    const [a, b] = await Promise.all([TestClient.open(t.wsUrl), TestClient.open(t.wsUrl)]);
    const [pa, pb] = [binId(), binId()];
    await b.join(ih, pb);
    a.announce(ih, pa, { offers: offers(1) });
    const offer = await b.next(isOffer);
    a.ws.close();
    await a.closed;
    const answer = () =>
      b.send({
        action: 'announce',
        info_hash: ih,
        peer_id: pb,
        to_peer_id: pa,
        offer_id: offer.offer_id,
        answer: { type: 'answer', sdp: 'x' },
      });
    return { t, ih, pa, b, answer };
  }

  it('refuses an answer once the offerer has left', async () => {
    const { b, answer } = await offerFromDeparted();
    await sleep(50);
    answer();
    expect((await b.next(isFailure))['failure reason']).toBe('offering peer has left the swarm');
  });

  it("never gives a connection that takes a departed peer's id the answers to that peer's offers", async () => {
    const { t, ih, pa, b, answer } = await offerFromDeparted();
    // Mallory takes a's peer_id, now free, and waits for b's answer to a's offer.
    const mallory = await TestClient.open(t.wsUrl);
    expect(isReply(await mallory.join(ih, pa))).toBe(true);
    answer();
    expect((await b.next(isFailure))['failure reason']).toBe('offering peer has left the swarm');
    expect(await mallory.none(isAnswer)).toBe(true);
  });

  it('lets one connection hold several peers (bittorrent-tracker shares sockets)', async () => {
    const t = await tracker();
    const ih = binId();
    const a = await TestClient.open(t.wsUrl);
    const [p1, p2] = [binId(), binId()];
    await a.join(ih, p1);
    a.announce(ih, p2, { offers: offers(1) });
    const offer = await a.next(isOffer);
    expect(offer.peer_id).toBe(p2);
    a.send({
      action: 'announce',
      info_hash: ih,
      peer_id: p1,
      to_peer_id: p2,
      offer_id: offer.offer_id,
      answer: { type: 'answer', sdp: 'x' },
    });
    expect(await a.next(isAnswer)).toMatchObject({ peer_id: p1 });
    expect(t.stats().tracker.peers).toBe(2);
  });
});

describe('lifecycle', () => {
  it('drops peers that stop announcing', async () => {
    const t = await tracker({ peerTimeoutMs: 1000 });
    const a = await TestClient.open(t.wsUrl);
    await a.join(binId(), binId());
    await expect.poll(() => t.stats().tracker, { timeout: 3000, interval: 100 }).toMatchObject({ connections: 1, swarms: 0, peers: 0 });
  });

  it('frees swarms and peers when everyone leaves', async () => {
    const t = await tracker();
    const clients = await Promise.all(Array.from({ length: 30 }, () => TestClient.open(t.wsUrl)));
    const swarms = [binId(), binId(), binId()];
    await Promise.all(clients.map((c, i) => c.join(swarms[i % 3]!, binId())));
    expect(t.stats().tracker).toMatchObject({ connections: 30, swarms: 3, peers: 30 });
    for (const c of clients) c.ws.close();
    await Promise.all(clients.map((c) => c.closed));
    await expect.poll(() => t.stats().tracker, { timeout: 2000 }).toMatchObject({ connections: 0, swarms: 0, peers: 0 });
  });

  it('tells peers on shutdown (close 1001) and refuses newcomers', async () => {
    const t = await tracker();
    const a = await TestClient.open(t.wsUrl);
    await a.join(binId(), binId());
    const closing = t.close();
    expect(await a.closed).toEqual({ code: 1001, reason: 'tracker shutting down' });
    await closing;
    await expect(TestClient.open(t.wsUrl)).rejects.toThrow();
  });
});
