// Limits and access control over real sockets: every limit ends in a `failure reason` or a closed
// socket, never a crash. Also the WebSocket framing edge cases.
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mintJoinToken } from '../src/index.js';
import { tryTake } from '../src/swarm/rate-limit.js';
import { binId, hexOf, isFailure, isOffer, isReply, offers, onCleanup, sleep, TestClient, tracker } from './helpers.js';
import { frame, rawWs, reader } from './raw-client.js';

describe('per-target offer bucket', () => {
  it('gives the burst at once, then the rate, and refusals cost nothing', () => {
    const b = { tokens: 3000, tokensAt: 0 };
    expect([1, 2, 3, 4].map(() => tryTake(b, 2, 3, 0))).toEqual([true, true, true, false]);
    for (let i = 0; i < 100; i++) expect(tryTake(b, 2, 3, 100)).toBe(false);
    // 2 per second: one token every 500 ms, whatever was refused before.
    expect([tryTake(b, 2, 3, 500), tryTake(b, 2, 3, 500)]).toEqual([true, false]);
    expect([tryTake(b, 2, 3, 10_000), tryTake(b, 2, 3, 10_000), tryTake(b, 2, 3, 10_000), tryTake(b, 2, 3, 10_000)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('limits', () => {
  it('closes the socket on a message over maxMessageBytes (1009)', async () => {
    const t = await tracker({ maxMessageBytes: 2048 });
    const a = await TestClient.open(t.wsUrl);
    a.send({ action: 'announce', pad: 'x'.repeat(3000) });
    expect((await a.closed).code).toBe(1009);
    expect(t.stats().tracker.rejections).toMatchObject({ message_too_big: 1 });
  });

  it('refuses too many offers in one announce', async () => {
    const t = await tracker({ maxOffersPerAnnounce: 3 });
    const a = await TestClient.open(t.wsUrl);
    const ih = binId();
    a.announce(ih, binId(), { offers: offers(4) });
    expect(await a.next(isFailure)).toMatchObject({ 'failure reason': 'too many offers (max 3)', info_hash: ih });
  });

  it('refuses newcomers to a full swarm', async () => {
    const t = await tracker({ maxPeersPerSwarm: 2 });
    const ih = binId();
    const cs = await Promise.all([0, 1, 2].map(() => TestClient.open(t.wsUrl)));
    await cs[0]!.join(ih, binId());
    await cs[1]!.join(ih, binId());
    expect(await cs[2]!.join(ih, binId())).toMatchObject({ 'failure reason': 'swarm is full (max 2 peers)' });
    expect(await cs[2]!.join(binId(), binId())).toMatchObject({ incomplete: 1 }); // other swarms are fine
  });

  it('limits swarms per connection and swarms overall', async () => {
    const t = await tracker({ maxSwarmsPerConnection: 2, maxSwarms: 3 });
    const a = await TestClient.open(t.wsUrl);
    await a.join(binId(), binId());
    await a.join(binId(), binId());
    expect((await a.join(binId(), binId()))['failure reason']).toBe('too many swarms on this connection (max 2)');
    const b = await TestClient.open(t.wsUrl);
    await b.join(binId(), binId());
    expect((await b.join(binId(), binId()))['failure reason']).toBe('tracker is at its swarm limit');
  });

  it('refuses connections over maxConnectionsPerIp with 429', async () => {
    const t = await tracker({ maxConnectionsPerIp: 2 });
    await TestClient.open(t.wsUrl);
    const b = await TestClient.open(t.wsUrl);
    await expect(TestClient.open(t.wsUrl)).rejects.toThrow('HTTP 429');
    b.ws.close();
    await b.closed;
    await sleep(50);
    await TestClient.open(t.wsUrl);
  });

  it('bounds the offers relayed to one peer, whoever sends them (ten connections flooding one viewer)', async () => {
    const t = await tracker({ maxOffersPerTargetPerSecond: 1, offerBurstPerTarget: 5 });
    const ih = binId();
    const victim = await TestClient.open(t.wsUrl);
    await victim.join(ih, binId());
    const started = Date.now();
    const flooders = await Promise.all(Array.from({ length: 10 }, () => TestClient.open(t.wsUrl)));
    const ids = flooders.map(() => binId());
    await Promise.all(flooders.map((f, i) => f.join(ih, ids[i]!)));
    // Each announce offers to every other member, the victim included: 50 offers aimed at it.
    for (let round = 0; round < 5; round++) {
      flooders.forEach((f, i) => f.announce(ih, ids[i]!, { offers: offers(10), numwant: 10 }));
      await Promise.all(flooders.map((f) => f.next(isReply)));
    }
    let received = 0;
    while (!(await victim.none(isOffer, 300))) received++;
    const elapsedSec = (Date.now() - started) / 1000;
    expect(received).toBeLessThanOrEqual(5 + Math.ceil(elapsedSec));
    expect(t.stats().tracker.rejections.offer_target_busy).toBeGreaterThan(0);
  });

  it('refuses messages over the rate, then disconnects a flooder', async () => {
    const t = await tracker({ messagesPerSecond: 5, messageBurst: 5 });
    const a = await TestClient.open(t.wsUrl);
    const ih = binId();
    for (let i = 0; i < 5; i++) a.send({ action: 'scrape', info_hash: ih });
    for (let i = 0; i < 5; i++) await a.next((m) => m.action === 'scrape' && !isFailure(m));
    a.send({ action: 'scrape', info_hash: ih });
    expect((await a.next(isFailure))['failure reason']).toBe('rate limit exceeded');
    for (let i = 0; i < 20; i++) a.send({ action: 'scrape', info_hash: ih });
    expect((await a.closed).code).toBe(1008);
    expect(t.stats().tracker.rejections).toMatchObject({ rate_limited_disconnect: 1 });
  });

  it('pings a silent connection and closes it if it stays silent', async () => {
    const t = await tracker({ idleTimeoutMs: 1000 });
    const raw = await rawWs(t.port);
    const frames: number[] = [];
    raw.on('data', (d: Buffer) => frames.push(d[0]! & 0x0f));
    const closed = new Promise((r) => raw.on('close', r));
    await closed;
    expect(frames).toContain(0x9); // got a ping, never answered
    expect(t.stats().tracker.rejections).toMatchObject({ idle_timeout: 1 });
  }, 10_000);
});

describe('access control', () => {
  it('accepts only allowed Origins', async () => {
    const t = await tracker({ allowedOrigins: ['https://video.example.com'] });
    await TestClient.open(t.wsUrl, { origin: 'https://video.example.com' });
    await expect(TestClient.open(t.wsUrl, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(TestClient.open(t.wsUrl)).rejects.toThrow('HTTP 403');
  });

  it('requires a valid join token for the swarm when secrets are set', async () => {
    const secret = 'site-backend-shared-secret';
    const t = await tracker({ tokenSecrets: [secret] });
    const ih = binId();
    const now = Math.floor(Date.now() / 1000);
    const good = mintJoinToken({ secret, infoHash: hexOf(ih), expiresAt: now + 60 });
    const a = await TestClient.open(t.wsUrl);
    expect((await a.join(ih, binId()))['failure reason']).toBe('join token required');
    expect((await a.join(ih, binId(), { token: 'v1.x' }))['failure reason']).toBe('join token rejected: malformed');
    const expired = mintJoinToken({ secret, infoHash: hexOf(ih), expiresAt: now - 1 });
    expect((await a.join(ih, binId(), { token: expired }))['failure reason']).toBe('join token rejected: expired');
    const forged = mintJoinToken({ secret: 'not-the-site-secret', infoHash: hexOf(ih), expiresAt: now + 60 });
    expect((await a.join(ih, binId(), { token: forged }))['failure reason']).toBe('join token rejected: bad signature');
    expect((await a.join(binId(), binId(), { token: good }))['failure reason']).toBe('join token rejected: wrong swarm');
    expect(await a.join(ih, binId(), { token: good })).toMatchObject({ incomplete: 1 });
    const viaUrl = await TestClient.open(`${t.wsUrl}/announce?token=${good}`);
    expect(await viaUrl.join(ih, binId())).toMatchObject({ incomplete: 2 });
  });
});

describe('WebSocket framing', () => {
  const scrape = (ih: string) => Buffer.from(JSON.stringify({ action: 'scrape', info_hash: ih }));

  it('assembles fragmented and split frames, answers pings, and takes several messages per packet', async () => {
    const t = await tracker();
    const s = await rawWs(t.port);
    const next = reader(s);
    const ih = binId();
    const msg = scrape(ih);
    s.write(Buffer.concat([frame(0x1, msg.subarray(0, 10), false), frame(0x9, Buffer.from('hi')), frame(0x0, msg.subarray(10), true)]));
    expect(await next()).toEqual([0xa, Buffer.from('hi')]);
    const [op, payload] = await next();
    expect(op).toBe(0x1);
    expect((JSON.parse(payload.toString()) as { files: Record<string, unknown> }).files[ih]).toBeDefined();
    // One frame split over several writes, and two frames in one write.
    const f = frame(0x1, msg);
    for (const part of [f.subarray(0, 1), f.subarray(1, 5), f.subarray(5)]) {
      s.write(part);
      await sleep(10);
    }
    expect((await next())[0]).toBe(0x1);
    s.write(Buffer.concat([frame(0x1, msg), frame(0x1, msg)]));
    expect((await next())[0]).toBe(0x1);
    expect((await next())[0]).toBe(0x1);
  });

  const cases: [string, Buffer, number][] = [
    ['unmasked frame', frame(0x1, Buffer.from('{}'), true, false), 1002],
    ['binary message', frame(0x2, Buffer.from([1, 2, 3])), 1003],
    ['invalid UTF-8', frame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
    ['continuation without start', frame(0x0, Buffer.from('x')), 1002],
    ['reserved bits', Buffer.from([0xf1, 0x80, 0, 0, 0, 0]), 1002],
    ['unknown opcode', frame(0x3, Buffer.from('x')), 1002],
    ['fragmented control frame', frame(0x9, Buffer.from('x'), false), 1002],
  ];
  it.each(cases)('closes on %s', async (_name, bytes, code) => {
    const t = await tracker();
    const s = await rawWs(t.port);
    const next = reader(s);
    s.write(bytes);
    const [op, payload] = await next();
    expect(op).toBe(0x8);
    expect(payload.readUInt16BE(0)).toBe(code);
  });

  it('refuses bad handshakes with HTTP errors', async () => {
    const t = await tracker();
    const status = (request: string) =>
      new Promise<string>((resolve) => {
        const s = connect(t.port, '127.0.0.1');
        onCleanup(() => s.destroy());
        s.write(request);
        s.once('data', (d: Buffer) => resolve(d.toString().split('\r\n')[0]!));
      });
    const head = (key: string, version: string) =>
      `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`;
    expect(await status(head('bad', '13'))).toBe('HTTP/1.1 400 Bad Request');
    expect(await status(head(randomBytes(16).toString('base64'), '8'))).toBe('HTTP/1.1 426 Upgrade Required');
  });

  it('survives a client that vanishes mid-message', async () => {
    const t = await tracker();
    const s = await rawWs(t.port);
    s.write(frame(0x1, Buffer.from(JSON.stringify({ action: 'announce', x: 'y'.repeat(500) }))).subarray(0, 100));
    s.destroy();
    await expect.poll(() => t.stats().tracker.connections).toBe(0);
    const a = await TestClient.open(t.wsUrl);
    expect(await a.join(binId(), binId())).toSatisfy(isReply);
  });
});
