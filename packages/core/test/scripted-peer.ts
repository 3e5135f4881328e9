import { decodeMessage, encodeMessage, FrameType, PROTOCOL_VERSION, type PeerMessage, type RequestMessage } from '../src/index.js';
import type { PeerTransport } from '../src/io/interfaces.js';
import type { ShoalEngine } from '../src/index.js';
import type { Harness } from './engine-harness.js';

/** What a scripted peer does with one request from a viewer; `send` answers on that connection. */
export type RequestScript = (request: RequestMessage, send: (message: PeerMessage) => void) => void;

/**
 * A peer driven by a test instead of an engine: it joins the fake swarm, says it holds every
 * segment of the harness, and answers requests as the script says (honestly, slowly, not at all).
 * Everything it receives is kept, for assertions.
 */
export class ScriptedPeer {
  readonly requests: RequestMessage[] = [];
  readonly received: PeerMessage[] = [];
  readonly connections: PeerTransport[] = [];

  constructor(
    readonly h: Harness,
    readonly id: string,
    private readonly script: RequestScript,
  ) {
    h.swarm.directory(id).join('swarm', (transport) => this.connect(transport));
  }

  /** Sends a message on the latest connection to a viewer (for a scripted requester). */
  send(message: PeerMessage, viewerId = 'a'): void {
    const transport = this.connections.filter((t) => t.remoteId === viewerId).at(-1);
    if (transport && !(transport as { closed?: boolean }).closed) transport.send(encodeMessage(message));
  }

  /** Bytes that arrived in DATA frames. */
  get dataBytes(): number {
    return this.received.reduce((sum, m) => sum + (m.type === FrameType.Data ? m.bytes.length : 0), 0);
  }

  connect(transport: PeerTransport): void {
    this.connections.push(transport);
    const send = (message: PeerMessage) => {
      if (!(transport as { closed?: boolean }).closed) transport.send(encodeMessage(message));
    };
    send({ type: FrameType.Handshake, version: PROTOCOL_VERSION, uploads: true });
    send({ type: FrameType.HaveRanges, ranges: [{ track: 0, from: 0, count: this.h.segmentCount }] });
    transport.onFrame((frame) => {
      const decoded = decodeMessage(frame);
      if (!decoded.ok) return;
      this.received.push(decoded.message);
      if (decoded.message.type === FrameType.Request) {
        this.requests.push(decoded.message);
        this.script(decoded.message, send);
      }
    });
  }
}

/** Answers with the true bytes: the whole span at once, or `chunkBytes` every `everyMs` (a slow but honest sender). */
export function serveTruly(h: Harness, pace?: { chunkBytes: number; everyMs: number }): RequestScript {
  return (request, send) => {
    const bytes = h.origin.files.get(`http://origin.test/seg-${request.segment.seq}.m4s`)!;
    const end = Math.min(bytes.length, request.offset + request.length);
    send({
      type: FrameType.Response,
      requestId: request.requestId,
      totalSize: bytes.length,
      offset: request.offset,
      length: end - request.offset,
    });
    const chunk = pace?.chunkBytes ?? 16 * 1024;
    let at = request.offset;
    const next = () => {
      if (at >= end) return;
      const size = Math.min(chunk, end - at);
      send({ type: FrameType.Data, requestId: request.requestId, offset: at, bytes: bytes.subarray(at, at + size) });
      at += size;
      if (pace) h.clock.setTimeout(next, pace.everyMs);
      else next();
    };
    next();
  };
}

/** Viewer 'v' with `bufferS` seconds of buffer, connected to the scripted peer `id`. */
export async function viewerAndScriptedPeer(
  h: Harness,
  id: string,
  script: RequestScript,
  bufferS = 20,
): Promise<{ v: ShoalEngine; peer: ScriptedPeer }> {
  const v = h.viewer('v');
  h.buffers.set('v', bufferS);
  const peer = new ScriptedPeer(h, id, script);
  await h.clock.advance(50);
  return { v, peer };
}
