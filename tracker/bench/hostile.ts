/**
 * npx tsx tracker/bench/hostile.ts — measures two attacks of issue #12 on this tree's tracker
 * (loopback only, about 15 s; needs nginx, e.g. Debian's nginx-light):
 * 1. 300 WebSocket connections from one address behind nginx (README config), each with a forged
 *    X-Forwarded-For: how many are accepted (maxConnectionsPerIp 100);
 * 2. one connection joining under a new peer id, sending a final stats report with as many p2p
 *    bytes as a fresh session allows, leaving, and again, for 10 s: fake bytes counted.
 * Pass a path to another tree's src/index.ts (and `--no-trusted-proxies` for trees without that
 * option) to measure it instead.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import WebSocket from 'ws';
import { Nginx } from '../test/nginx-env.js';
import { wsText } from '../test/ws-text.js';

const src = process.argv[2] ?? '../src/index.js';
const newCode = !process.argv.includes('--no-trusted-proxies');
const { startTracker } = (await import(src)) as typeof import('../src/index.js');
const bin = () => randomBytes(20).toString('latin1');
const hex = (b: string) => Buffer.from(b, 'latin1').toString('hex');

function open(url: string, opts: WebSocket.ClientOptions): Promise<WebSocket | undefined> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, opts);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => resolve(undefined));
    ws.once('error', () => resolve(undefined));
  });
}

// 1. Connections from one address behind nginx (nginx reaches the tracker from 127.0.0.1, the
//    client comes from 127.0.0.5), each with a forged X-Forwarded-For.
{
  const t = await startTracker({ logLevel: 'silent', trustProxy: true, ...(newCode ? { trustedProxies: ['127.0.0.1'] } : {}) });
  const nginx = await Nginx.start(t.port);
  const open_: WebSocket[] = [];
  for (let i = 0; i < 300; i++) {
    const ws = await open(nginx.wsUrl, { localAddress: '127.0.0.5', headers: { 'X-Forwarded-For': `10.${i >> 8}.${i & 255}.1` } });
    if (ws) open_.push(ws);
  }
  console.log(`behind nginx: ${open_.length}/300 connections accepted from one address (maxConnectionsPerIp 100)`);
  for (const ws of open_) ws.terminate();
  await nginx.stop();
  await t.close();
}

// 2. One connection: join under a new peer id, final report with as many p2p bytes as a fresh
//    session allows, stop, repeat, for 10 s.
{
  const t = await startTracker({ logLevel: 'silent' });
  const ws = (await open(t.wsUrl, {}))!;
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  ws.on('message', (d) => {
    queue.push(wsText(d));
    wake?.();
  });
  const next = async () => {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    return queue.shift()!;
  };
  const post = (body: unknown) =>
    new Promise<number>((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = request(`${t.httpUrl}/stats`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(text);
    });
  const ih = bin();
  const started = Date.now();
  let rounds = 0;
  let accepted = 0;
  while (Date.now() - started < 10_000) {
    const pid = bin();
    ws.send(
      JSON.stringify({
        action: 'announce',
        info_hash: ih,
        peer_id: pid,
        event: 'started',
        numwant: 0,
        offers: [],
        uploaded: 0,
        downloaded: 0,
        left: 1,
      }),
    );
    await next();
    const status = await post({
      v: 1,
      swarm: hex(ih),
      peerId: hex(pid),
      httpBytes: 0,
      p2pBytes: 125_000_000,
      uploadBytes: 0,
      rejectedBytes: 0,
      peers: 1,
      stalls: 0,
      stallMs: 0,
      playingMs: 0,
      final: true,
    });
    if (status === 204) accepted++;
    ws.send(
      JSON.stringify({
        action: 'announce',
        info_hash: ih,
        peer_id: pid,
        event: 'stopped',
        numwant: 0,
        uploaded: 0,
        downloaded: 0,
        left: 1,
      }),
    );
    await next();
    rounds++;
    await new Promise((r) => setTimeout(r, 100)); // stays under messagesPerSecond (2 messages a round)
  }
  const secs = (Date.now() - started) / 1000;
  const s = t.stats();
  console.log(
    `rejoin loop: ${rounds} rounds in ${secs.toFixed(1)} s, ${accepted} reports accepted, ${(s.overall.p2pBytes / 1e9).toFixed(3)} GB of fake p2p bytes, offload ${s.overall.offload}`,
  );
  ws.terminate();
  await t.close();
}
