/**
 * What one data-channel message costs in Chromium, apart from its bytes: two peer connections in
 * one page on loopback move the same bytes in messages of different sizes, and the run reports
 * wall time, the page's main-thread time in send() and the CPU of every Chromium process. Decides
 * Shoal's DATA frame size from numbers measured here, not from folklore.
 *
 *   npx tsx --conditions=source bench/src/micro/data-channel-cost.ts [--mb 32] [--rounds 3]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { launchChromium } from '@shoal/test-kit';
import { cpuSeconds, processTree } from '../browser/process-stats.js';
import { median } from '../run/page-metrics.js';

const { values } = parseArgs({ options: { mb: { type: 'string' }, rounds: { type: 'string' }, sizes: { type: 'string' } } });
const totalBytes = Math.min(256, Math.max(1, Number(values.mb ?? 32))) * 1024 * 1024;
const rounds = Math.min(10, Math.max(1, Number(values.rounds ?? 3)));
const sizes = (values.sizes ?? '16,64,128').split(',').map((k) => Number(k) * 1024);

/** Runs in the page: connects two peer connections and pushes totalBytes in messages of `size`. */
async function transfer(size: number, total: number): Promise<{ ms: number; sendMs: number; messages: number }> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
  const channel = a.createDataChannel('bench');
  channel.binaryType = 'arraybuffer';
  const received = new Promise<void>((resolve) => {
    b.ondatachannel = (e) => {
      let got = 0;
      e.channel.binaryType = 'arraybuffer';
      e.channel.onmessage = (m) => {
        got += (m.data as ArrayBuffer).byteLength;
        if (got >= total) resolve();
      };
    };
  });
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  await new Promise<void>((resolve) => (channel.onopen = () => resolve()));
  const chunk = new Uint8Array(size);
  channel.bufferedAmountLowThreshold = 256 * 1024;
  const started = performance.now();
  let sendMs = 0;
  let sent = 0;
  let messages = 0;
  while (sent < total) {
    if (channel.bufferedAmount > 1024 * 1024) {
      await new Promise<void>((resolve) => (channel.onbufferedamountlow = () => resolve()));
      continue;
    }
    const t = performance.now();
    channel.send(chunk.subarray(0, Math.min(size, total - sent)));
    sendMs += performance.now() - t;
    sent += Math.min(size, total - sent);
    messages++;
  }
  await received;
  const ms = performance.now() - started;
  a.close();
  b.close();
  return { ms, sendMs, messages };
}

/** Runs in the page: the same bytes over plain HTTP from the local server, in 2 MiB responses read as a stream. */
async function fetchAll(total: number): Promise<number> {
  const started = performance.now();
  for (let got = 0; got < total;) {
    const response = await fetch(`/bytes?n=${Math.min(2 * 1024 * 1024, total - got)}&r=${Math.random()}`);
    const reader = response.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) got += r.value.byteLength;
  }
  return performance.now() - started;
}

const BLOCK = Buffer.alloc(2 * 1024 * 1024, 7);
const server = createServer((req, res) => {
  const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'));
  if (req.url?.startsWith('/bytes') && n > 0 && n <= BLOCK.length) {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' }).end(BLOCK.subarray(0, n));
  } else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>dc</title>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const chromium = await launchChromium();
const cpuOfChromium = () => processTree(chromium.pid).reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
try {
  const page = await chromium.browser.newPage();
  await page.goto(url);
  const rows: Record<number, { ms: number[]; sendMs: number[]; cpuS: number[]; messages: number }> = {};
  const http = { ms: [] as number[], cpuS: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const httpStart = cpuOfChromium();
    http.ms.push(await page.evaluate(fetchAll, totalBytes));
    http.cpuS.push(cpuOfChromium() - httpStart);
    for (const size of sizes) {
      const before = cpuOfChromium();
      const r = await page.evaluate(transfer, size, totalBytes);
      const cpuS = cpuOfChromium() - before;
      const row = (rows[size] ??= { ms: [], sendMs: [], cpuS: [], messages: r.messages });
      row.ms.push(r.ms);
      row.sendMs.push(r.sendMs);
      row.cpuS.push(cpuS);
    }
  }
  console.log(`${totalBytes / 1024 / 1024} MiB per transfer, ${rounds} rounds, medians (Chromium CPU: all its processes)`);
  console.log(`  HTTP (loopback, 2 MiB responses): wall ${median(http.ms).toFixed(0)} ms, Chromium CPU ${median(http.cpuS).toFixed(2)} s`);
  for (const size of sizes) {
    const r = rows[size]!;
    console.log(
      `${String(size / 1024).padStart(4)} KiB messages: ${r.messages} sends, wall ${median(r.ms).toFixed(0)} ms, in send() ${median(r.sendMs).toFixed(0)} ms, Chromium CPU ${median(r.cpuS).toFixed(2)} s`,
    );
  }
} finally {
  await chromium.close();
  server.close();
}
