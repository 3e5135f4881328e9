/**
 * Load generator (child process). K WebSocket clients in S swarms: each joins, then runs a closed
 * loop: announce with N offers, wait for the announce reply, announce again; every offer received
 * is answered at once. Reports announces, relays, latency and errors for the measured window.
 * With several ports (tracker nodes), client k connects to ports[k % n], and the offer -> answer
 * round trip (offer relayed to a peer, maybe on another node, its answer relayed back) is timed.
 * Driven over IPC by cli.ts: {cmd:'connect'} then {cmd:'run'} then {cmd:'exit'}.
 */
import { frameText, openRawWs, payloadOffset, type RawWs } from './raw-ws.js';

export interface LoadParams {
  readonly port: number;
  /** Several tracker nodes: clients are spread over them round-robin (default [port]). */
  readonly ports?: readonly number[];
  readonly clients: number;
  readonly swarms: number;
  readonly offers: number;
  readonly sdpBytes: number;
}

export interface LoadResult {
  readonly connectMs: number;
  readonly windowMs: number;
  readonly announces: number;
  readonly offersReceived: number;
  readonly answersReceived: number;
  readonly answersSent: number;
  readonly failures: number;
  readonly failureSamples: string[];
  readonly closes: number;
  readonly latencyMs: Percentiles;
  /** From sending an announce with offers to receiving an answer to one of them. */
  readonly relayLatencyMs: Percentiles;
  readonly loadCpuPct: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

type Msg = { cmd: 'connect'; count: number } | { cmd: 'run'; warmupMs: number; durationMs: number } | { cmd: 'exit' };

const params = JSON.parse(process.argv[2] ?? '{}') as LoadParams;
const id20 = (prefix: string, n: number) => (prefix + n.toString(36)).padEnd(20, '_').slice(0, 20);
const fakeSdp = (kind: string, bytes: number) => {
  const lines = [
    `v=0`,
    `o=- 46117${kind.length}28 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=msid-semantic: WMS',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  ];
  let sdp = lines.join('\\r\\n');
  while (sdp.length < bytes)
    sdp += `\\r\\na=candidate:${sdp.length} 1 udp 2122260223 127.0.0.1 5${sdp.length % 10000} typ host generation 0`;
  return sdp.slice(0, bytes);
};
const OFFER_SDP = fakeSdp('offer', params.sdpBytes);
const ANSWER_SDP = fakeSdp('answer', params.sdpBytes);

interface Client {
  ws: RawWs;
  readonly idx: number;
  readonly peerId: string;
  readonly infoHash: string;
  /** Ready-made announce frame; offer ids are rewritten in place before each send. */
  frame: Buffer;
  offerIdAt: number[];
  seq: number;
  sentAt: number;
  /** Send times of the last SENT_RING announces, by seq % SENT_RING (answers can come late). */
  readonly sentTimes: Float64Array;
}

const SENT_RING = 16;

let running = false;
let measuring = false;
const stats = { announces: 0, offers: 0, answers: 0, answersSent: 0, failures: 0, closes: 0 };
const failureSamples: string[] = [];
let latencies: number[] = [];
let relayLatencies: number[] = [];
const clients: Client[] = [];

function announceFrame(c: Client): void {
  const offers: string[] = [];
  for (let i = 0; i < params.offers; i++) {
    offers.push(`{"offer":{"type":"offer","sdp":"${OFFER_SDP}"},"offer_id":"${'#'.repeat(20)}"}`);
  }
  const text = `{"action":"announce","info_hash":"${c.infoHash}","peer_id":"${c.peerId}","numwant":${params.offers},"uploaded":0,"downloaded":0,"left":1,"offers":[${offers.join(',')}]}`;
  c.frame = frameText(text);
  const base = payloadOffset(c.frame);
  c.offerIdAt = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf('#'.repeat(20), from);
    if (at < 0) break;
    c.offerIdAt.push(base + at);
    from = at + 20;
  }
}

function announce(c: Client): void {
  const seq = c.seq++;
  const s = seq.toString(36).padStart(10, '0');
  for (let i = 0; i < c.offerIdAt.length; i++)
    c.frame.write(`o${c.idx.toString(36).padStart(6, '0')}${s}${i}__`.slice(0, 20), c.offerIdAt[i]!, 'latin1');
  c.sentAt = performance.now();
  c.sentTimes[seq % SENT_RING] = c.sentAt;
  c.ws.sendFrame(c.frame);
}

function field(text: string, name: string): string {
  const at = text.indexOf(`"${name}":"`);
  return at < 0 ? '' : text.substr(at + name.length + 4, 20);
}

function onMessage(c: Client, text: string): void {
  if (text.includes('"failure reason"')) {
    if (measuring) stats.failures++;
    if (failureSamples.length < 5) failureSamples.push(text.slice(0, 200));
    return;
  }
  if (text.includes('"offer":')) {
    if (measuring) stats.offers++;
    if (!running) return;
    const from = field(text, 'peer_id');
    const offerId = field(text, 'offer_id');
    c.ws.send(
      `{"action":"announce","info_hash":"${c.infoHash}","peer_id":"${c.peerId}","to_peer_id":"${from}","offer_id":"${offerId}","answer":{"type":"answer","sdp":"${ANSWER_SDP}"}}`,
    );
    if (measuring) stats.answersSent++;
    return;
  }
  if (text.includes('"answer":')) {
    if (measuring) {
      stats.answers++;
      // offer_id is o<idx:6><seq:10><i>__ (see announce).
      const seq = parseInt(field(text, 'offer_id').slice(7, 17), 36);
      if (seq > c.seq - SENT_RING) relayLatencies.push(performance.now() - c.sentTimes[seq % SENT_RING]!);
    }
    return;
  }
  // An announce reply.
  const waiting = c.sentAt;
  c.sentAt = 0;
  if (waiting === 0) return; // reply to the join
  if (measuring) {
    stats.announces++;
    latencies.push(performance.now() - waiting);
  }
  if (running) announce(c);
}

/** Connects and joins clients until `count` are connected. */
async function connectUpTo(count: number): Promise<number> {
  const t0 = performance.now();
  const batch = 100;
  const target = Math.min(count, params.clients);
  for (let i = clients.length; i < target; i += batch) {
    const group: Promise<void>[] = [];
    for (let k = i; k < Math.min(target, i + batch); k++) {
      const c: Client = {
        idx: k,
        peerId: id20('P', k),
        infoHash: id20('S', k % params.swarms),
        frame: Buffer.alloc(0),
        offerIdAt: [],
        seq: 0,
        sentAt: 0,
        sentTimes: new Float64Array(SENT_RING),
        ws: undefined as unknown as RawWs,
      };
      const ports = params.ports ?? [params.port];
      announceFrame(c);
      group.push(
        new Promise<void>((resolve, reject) => {
          let joined = false;
          openRawWs(
            ports[k % ports.length]!,
            '/announce',
            (text) => {
              if (!joined) {
                joined = true;
                resolve();
                return;
              }
              onMessage(c, text);
            },
            () => {
              stats.closes++;
            },
          ).then((ws) => {
            c.ws = ws;
            clients.push(c);
            ws.send(
              `{"action":"announce","info_hash":"${c.infoHash}","peer_id":"${c.peerId}","event":"started","numwant":0,"uploaded":0,"downloaded":0,"left":1,"offers":[]}`,
            );
          }, reject);
        }),
      );
    }
    await Promise.all(group);
  }
  return performance.now() - t0;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(warmupMs: number, durationMs: number): Promise<Omit<LoadResult, 'connectMs'>> {
  running = true;
  for (const c of clients) announce(c);
  await new Promise((r) => setTimeout(r, warmupMs));
  latencies = [];
  relayLatencies = [];
  measuring = true;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  measuring = false;
  running = false;
  const windowMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 1500)); // let in-flight replies drain
  const round = (x: number) => Math.round(x * 100) / 100;
  const percentiles = (xs: number[]): Percentiles => {
    const sorted = xs.sort((a, b) => a - b);
    return {
      p50: round(pct(sorted, 50)),
      p90: round(pct(sorted, 90)),
      p99: round(pct(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? 0),
    };
  };
  return {
    windowMs,
    announces: stats.announces,
    offersReceived: stats.offers,
    answersReceived: stats.answers,
    answersSent: stats.answersSent,
    failures: stats.failures,
    failureSamples,
    closes: stats.closes,
    latencyMs: percentiles(latencies),
    relayLatencyMs: percentiles(relayLatencies),
    loadCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / windowMs) * 1000) / 10,
  };
}

let connectMs = 0;
process.on('message', (m: Msg) => {
  if (m.cmd === 'connect') {
    connectUpTo(m.count).then(
      (ms) => {
        connectMs += ms;
        process.send?.({ type: 'connected', ms, clients: clients.length });
      },
      (err: unknown) => process.send?.({ type: 'error', error: String(err) }),
    );
  } else if (m.cmd === 'run') {
    // A failed run reports to the parent, which is waiting for an answer, instead of dying unhandled.
    run(m.warmupMs, m.durationMs).then(
      (r) => process.send?.({ type: 'result', result: { connectMs, ...r } satisfies LoadResult }),
      (err: unknown) => process.send?.({ type: 'error', error: String(err) }),
    );
  } else {
    for (const c of clients) c.ws.close();
    process.exit(0);
  }
});
process.send?.({ type: 'ready' });
