/**
 * A node-peer worker process: runs many headless viewers (NodePeer) for the bench process, which
 * forks it with the webrtc-polyfill redirect (@shoal/test-kit/node/register.js). It reports every
 * peer's metrics once a second and exits on 'stop', when the bench process goes away, or at its
 * own deadline, whichever comes first.
 */
import { NodePeer } from './node-peer.js';
import type { FromWorker, PeerReport, ProcessStats, ToWorker, WorkerConfig } from './messages.js';

const REPORT_MS = 1000;
const peers = new Map<number, NodePeer>();
let config: WorkerConfig | undefined;
let reportTimer: ReturnType<typeof setInterval> | undefined;
let stopping = false;
let uncaught = 0;

function send(message: FromWorker): void {
  // The bench process may be gone already; then there is nobody to tell.
  if (process.connected) process.send?.(message, undefined, {}, () => {});
}

function procStats(): ProcessStats {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuS: (cpu.user + cpu.system) / 1e6,
    heapMB: memory.heapUsed / 2 ** 20,
    rssMB: memory.rss / 2 ** 20,
    peers: peers.size,
    uncaughtErrors: uncaught,
  };
}

function reports(): PeerReport[] {
  return [...peers].map(([index, peer]) => ({ index, metrics: peer.snapshot() }));
}

function stop(exitCode: number): void {
  if (stopping) return;
  stopping = true;
  clearInterval(reportTimer);
  const final = reports();
  for (const peer of peers.values()) peer.stop();
  send({ type: 'final', peers: final, proc: procStats() });
  // Give the IPC channel a moment to flush, then leave even if WebRTC threads linger.
  setTimeout(() => process.exit(exitCode), 300);
}

process.on('message', (raw: unknown) => {
  const message = raw as ToWorker;
  if (message.type === 'init') {
    config = message.config;
    setTimeout(() => {
      process.stderr.write(`node-peer worker: lifetime of ${config!.maxLifetimeMs} ms reached, exiting\n`);
      stop(3);
    }, config.maxLifetimeMs);
    reportTimer = setInterval(() => send({ type: 'snapshot', peers: reports(), proc: procStats() }), REPORT_MS);
    send({ type: 'ready' });
  } else if (message.type === 'join' && config && !stopping && !peers.has(message.index)) {
    const index = message.index;
    const peer = new NodePeer({
      streamUrl: config.streamUrl,
      trackerUrl: config.trackerUrl,
      level: config.level,
      shoalConfig: config.shoalConfig,
      ...(config.verbose ? { log: (line: string) => process.stderr.write(`[node ${index}] ${line}\n`) } : {}),
    });
    if (config.verbose) logEngine(index, peer);
    peers.set(index, peer);
    void peer.start();
  } else if (message.type === 'leave') {
    const peer = peers.get(message.index);
    if (!peer) return;
    const metrics = peer.snapshot();
    peer.stop();
    peers.delete(message.index);
    send({ type: 'left', peer: { index: message.index, metrics } });
  } else if (message.type === 'stop') {
    stop(0);
  }
});

/** SHOAL_NODE_PEER_LOG=1: every peer's connections and segment sources on stderr. */
function logEngine(index: number, peer: NodePeer): void {
  const t0 = performance.now();
  const log = (line: string) => process.stderr.write(`[node ${index}] ${((performance.now() - t0) / 1000).toFixed(2)}s ${line}\n`);
  peer.engine.on('peer-connected', (e) => log(`peer-connected ${e.peerId.slice(16)} (${e.peers})`));
  peer.engine.on('peer-disconnected', (e) => log(`peer-disconnected ${e.peerId.slice(16)}: ${e.code} (${e.detail})`));
  peer.engine.on('peer-misbehaved', (e) => log(`peer-misbehaved ${e.peerId.slice(16)}: ${e.code} (${e.detail})`));
  peer.engine.on('segment-loaded', (e) => log(`segment ${e.id.track}/${e.id.seq} from ${e.source} in ${Math.round(e.ms)} ms`));
}

process.on('disconnect', () => stop(0));
// A stray error in one peer's WebRTC stack must not end every other peer in this process.
process.on('uncaughtException', (error) => {
  uncaught++;
  process.stderr.write(`node-peer worker: uncaught ${error.stack ?? error.message}\n`);
});
