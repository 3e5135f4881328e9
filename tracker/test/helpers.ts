// Shared helpers for the tracker tests: a tracker per test, WebSocket clients that queue
// messages, and WebTorrent-style binary ids.
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { afterEach } from 'vitest';
import { startTracker, type RunningTracker, type StartOptions } from '../src/index.js';
import { wsText } from './ws-text.js';

export type Msg = Record<string, unknown>;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

export async function tracker(opts: StartOptions = {}): Promise<RunningTracker> {
  const t = await startTracker({ logLevel: 'silent', ...opts });
  onCleanup(() => t.close());
  return t;
}

/** A random 20-byte id as a binary string (characters 0..255), as the protocol sends it. */
export function binId(): string {
  return randomBytes(20).toString('latin1');
}
export function hexOf(bin: string): string {
  return Buffer.from(bin, 'latin1').toString('hex');
}

export class TestClient {
  readonly messages: Msg[] = [];
  private waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(wsText(data)) as Msg;
      const i = this.waiters.findIndex((w) => w.pred(m));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
      else this.messages.push(m);
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const c = new TestClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
      onCleanup(() => ws.terminate());
    });
  }

  send(m: Msg | string): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  /** The first queued or future message matching pred. */
  next(pred: (m: Msg) => boolean = () => true, ms = 3000): Promise<Msg> {
    const i = this.messages.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.messages.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (m: Msg) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no matching message within ${ms} ms; queued: ${JSON.stringify(this.messages).slice(0, 300)}`));
      }, ms);
      this.waiters.push(w);
    });
  }

  /** Resolves true if no matching message arrives within ms. */
  async none(pred: (m: Msg) => boolean = () => true, ms = 300): Promise<boolean> {
    try {
      await this.next(pred, ms);
      return false;
    } catch {
      return true;
    }
  }

  announce(infoHash: string, peerId: string, extra: Msg = {}): void {
    this.send({ action: 'announce', info_hash: infoHash, peer_id: peerId, numwant: 5, uploaded: 0, downloaded: 0, left: 1, ...extra });
  }

  /** Announce and wait for the reply (or failure) about this info_hash. */
  async join(infoHash: string, peerId: string, extra: Msg = {}): Promise<Msg> {
    this.announce(infoHash, peerId, { event: 'started', offers: [], ...extra });
    return this.next((m) => m.info_hash === infoHash && m.offer === undefined && m.answer === undefined);
  }
}

export const isReply = (m: Msg) =>
  m.action === 'announce' && m.offer === undefined && m.answer === undefined && m['failure reason'] === undefined;
export const isFailure = (m: Msg) => typeof m['failure reason'] === 'string';
export const isOffer = (m: Msg) => m.offer !== undefined;
export const isAnswer = (m: Msg) => m.answer !== undefined;

export function offers(
  n: number,
  sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n',
): { offer: { type: 'offer'; sdp: string }; offer_id: string }[] {
  return Array.from({ length: n }, () => ({ offer: { type: 'offer' as const, sdp }, offer_id: binId() }));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** V8 heap in use after full collections (settled over a few turns of the event loop). */
export async function heapAfterGc(): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
}
