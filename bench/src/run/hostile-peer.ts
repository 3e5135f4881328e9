/**
 * A hostile viewer for integrity tests: Shoal's real engine in Node (WebRTC through @roamhq/wrtc,
 * the real tracker client) whose data channels are wrapped so that what it uploads is wrong.
 *
 *   flip      every DATA frame has one payload byte flipped
 *   truncate  RESPONSE claims a segment 1000 bytes shorter than it is, and DATA stops there
 *   overlong  the last DATA of each answer runs 100 bytes past the end its RESPONSE announced
 *   lie       announces every segment of every rendition without holding any, and answers each
 *             request with random bytes of a plausible size
 *
 * Needs the `webrtc-polyfill` alias (run it under vitest, or node --import
 * @shoal/test-kit/node/register.js).
 */
import {
  createFetchHttpClient,
  decodeMessage,
  encodeMessage,
  FrameType,
  MAX_CHUNK_BYTES,
  parseHlsPlaylist,
  randomPeerId,
  ShoalEngine,
  swarmInfoHash,
  systemClock,
  TrackerDirectory,
  type PeerMessage,
  type PeerTransport,
  type SwarmDirectory,
} from '@shoal/core';

export type HostileBehaviour = 'flip' | 'truncate' | 'overlong' | 'lie';
export const HOSTILE_BEHAVIOURS: readonly HostileBehaviour[] = ['flip', 'truncate', 'overlong', 'lie'];

export interface HostilePeerOptions {
  readonly behaviour: HostileBehaviour;
  /** ws:// URL of the swarm's tracker. */
  readonly trackerUrl: string;
  /** Master playlist URL, as the pages load it (the swarm id derives from it). */
  readonly streamUrl: string;
  log?(message: string): void;
}

export interface HostileStats {
  readonly peerId: string;
  readonly behaviour: HostileBehaviour;
  /** Segments held (and announced) before joining. */
  segmentsHeld: number;
  /** Requests from other viewers answered (falsely). */
  requestsAnswered: number;
  /** Bytes of DATA payload sent that were altered, invented or out of bounds. */
  badBytesSent: number;
  /** Connections opened with other viewers. */
  connections: number;
}

/** Few enough that a receiver remembers them all (its maxAvailability keeps the newest 20 000). */
const LIE_SEGMENTS_PER_TRACK = 2000;
const LIE_SEGMENT_BYTES = 80_000;
const PRELOAD_TIMEOUT_MS = 20_000;

/** The hostile viewer: preloads the stream over HTTP (so it holds real segments), then joins and misbehaves. */
export class HostilePeer {
  readonly peerId = randomPeerId();
  readonly stats: HostileStats;
  private readonly directory: TrackerDirectory;
  private readonly engine: ShoalEngine;

  constructor(private readonly options: HostilePeerOptions) {
    this.stats = {
      peerId: this.peerId,
      behaviour: options.behaviour,
      segmentsHeld: 0,
      requestsAnswered: 0,
      badBytesSent: 0,
      connections: 0,
    };
    this.directory = new TrackerDirectory({
      // bittorrent-tracker's client shares one WebSocket per URL within a process, and the tracker
      // knows one peer per socket: a path of its own gives each peer here its own socket.
      trackerUrls: [`${options.trackerUrl.replace(/\/$/, '')}/${this.peerId.slice(-12)}`],
      peerId: this.peerId,
      rtcConfig: { iceServers: [] },
      onWarning: (message) => options.log?.(`hostile ${options.behaviour}: ${message}`),
    });
    const inner = this.directory;
    const wrapped: SwarmDirectory = {
      join: (swarmId, onPeer) =>
        inner.join(swarmId, (transport) => {
          this.stats.connections++;
          onPeer(hostileTransport(transport, options.behaviour, this.stats));
        }),
      requestMorePeers: (count) => inner.requestMorePeers(count),
      othersInSwarm: () => inner.othersInSwarm(),
      leave: () => inner.leave(),
    };
    this.engine = new ShoalEngine(
      {
        clock: systemClock,
        http: createFetchHttpClient(),
        // A viewer with a full buffer sitting at the start: nothing is urgent, nothing is evicted.
        playhead: { bufferedAheadS: () => 30, positionS: () => 0, playbackRate: () => 1 },
        peerId: this.peerId,
        directory: wrapped,
      },
      { maxPeers: 20 },
    );
  }

  /** Loads every segment of every rendition (except as a liar), then joins the swarm. */
  async start(): Promise<void> {
    if (this.options.behaviour !== 'lie') await this.preload();
    const key = this.options.streamUrl.split(/[?#]/)[0]!;
    this.engine.start(await swarmInfoHash(key));
  }

  stop(): void {
    this.engine.destroy();
  }

  private async preload(): Promise<void> {
    const master = parseHlsPlaylist(await text(this.options.streamUrl));
    if (!master.ok) throw new Error(`hostile peer: ${master.error}`);
    const playlists = master.playlist.kind === 'master' ? master.playlist.playlists : [this.options.streamUrl];
    // hls.js numbers levels by ascending bandwidth; the sample masters list them in that order.
    for (const [level, ref] of playlists.entries()) {
      const playlistUrl = new URL(ref, this.options.streamUrl).href;
      const parsed = parseHlsPlaylist(await text(playlistUrl));
      if (!parsed.ok || parsed.playlist.kind !== 'media') throw new Error(`hostile peer: bad media playlist ${playlistUrl}`);
      const media = parsed.playlist;
      for (const segment of media.segments) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('hostile peer: preload timed out')), PRELOAD_TIMEOUT_MS);
          this.engine.load(
            {
              id: { track: level, seq: segment.seq },
              url: new URL(segment.uri, playlistUrl).href,
              byteRange: segment.byteRange,
              durationS: 2,
              startS: 0,
              live: !media.endList,
            },
            {
              onProgress: () => {},
              onSuccess: () => (clearTimeout(timer), resolve()),
              onError: (error) => (clearTimeout(timer), reject(error)),
            },
          );
        });
        this.stats.segmentsHeld++;
      }
    }
  }
}

async function text(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return response.text();
}

/** Wraps a transport so that what the engine sends (and how requests are answered) is corrupted. */
export function hostileTransport(inner: PeerTransport, behaviour: HostileBehaviour, stats: HostileStats): PeerTransport {
  /** requestId -> the end (exclusive) of what we claim to send, for truncate/overlong. */
  const claimedEnd = new Map<number, number>();
  const sendRaw = (message: PeerMessage) => inner.send(encodeMessage(message));

  const rewrite = (frame: Uint8Array): Uint8Array | undefined => {
    const decoded = decodeMessage(frame);
    if (!decoded.ok) return frame;
    const m = decoded.message;
    switch (behaviour) {
      case 'flip':
        if (m.type !== FrameType.Data) return frame;
        {
          const bytes = m.bytes.slice();
          bytes[bytes.length >> 1]! ^= 0x55;
          stats.badBytesSent += bytes.length;
          return encodeMessage({ ...m, bytes });
        }
      case 'truncate':
        if (m.type === FrameType.Response) {
          const totalSize = Math.max(1, m.totalSize - 1000);
          const end = Math.min(m.offset + m.length, totalSize);
          if (end <= m.offset) return frame; // nothing left to lie about in this piece
          claimedEnd.set(m.requestId, end);
          stats.requestsAnswered++;
          return encodeMessage({ ...m, totalSize, length: end - m.offset });
        }
        if (m.type === FrameType.Data) {
          const end = claimedEnd.get(m.requestId);
          if (end === undefined) return frame;
          if (m.offset >= end) return undefined;
          const bytes = m.bytes.subarray(0, Math.min(m.bytes.length, end - m.offset));
          stats.badBytesSent += bytes.length;
          return encodeMessage({ ...m, bytes });
        }
        return frame;
      case 'overlong':
        if (m.type === FrameType.Response) {
          claimedEnd.set(m.requestId, m.offset + m.length);
          stats.requestsAnswered++;
          return frame;
        }
        if (m.type === FrameType.Data && claimedEnd.get(m.requestId) === m.offset + m.bytes.length) {
          claimedEnd.delete(m.requestId);
          // The last chunk runs 100 bytes past the end announced in RESPONSE (split in two frames
          // when it would not fit in one: the second frame starts inside and ends outside).
          const extra = new Uint8Array(100).fill(0xee);
          stats.badBytesSent += extra.length;
          const tail = new Uint8Array(m.bytes.length + extra.length);
          tail.set(m.bytes);
          tail.set(extra, m.bytes.length);
          if (tail.length <= MAX_CHUNK_BYTES) return encodeMessage({ ...m, bytes: tail });
          const split = tail.length - MAX_CHUNK_BYTES;
          inner.send(encodeMessage({ ...m, bytes: tail.subarray(0, split) }));
          return encodeMessage({ ...m, offset: m.offset + split, bytes: tail.subarray(split) });
        }
        return frame;
      case 'lie':
        if (m.type === FrameType.Handshake) {
          // Right after our handshake: claim everything on every rendition.
          queueMicrotask(() => {
            try {
              sendRaw({
                type: FrameType.HaveRanges,
                ranges: [0, 1, 2, 3].map((track) => ({ track, from: 0, count: LIE_SEGMENTS_PER_TRACK })),
              });
            } catch {
              // closed meanwhile
            }
          });
        }
        return frame;
    }
  };

  return {
    get remoteId() {
      return inner.remoteId;
    },
    get initiator() {
      return inner.initiator;
    },
    get bufferedAmount() {
      return inner.bufferedAmount;
    },
    send(frame) {
      const out = rewrite(frame);
      if (out) inner.send(out);
    },
    onFrame(listener) {
      inner.onFrame((frame) => {
        if (behaviour === 'lie') {
          const decoded = decodeMessage(frame);
          if (decoded.ok && decoded.message.type === FrameType.Request) return answerWithGarbage(decoded.message);
        }
        listener(frame);
      });
    },
    onClose(listener) {
      inner.onClose(listener);
    },
    close() {
      inner.close();
    },
  };

  function answerWithGarbage(request: Extract<PeerMessage, { type: FrameType.Request }>): void {
    const totalSize = LIE_SEGMENT_BYTES;
    if (request.offset >= totalSize) return;
    const end = request.length === 0 ? totalSize : Math.min(totalSize, request.offset + request.length);
    stats.requestsAnswered++;
    try {
      sendRaw({ type: FrameType.Response, requestId: request.requestId, totalSize, offset: request.offset, length: end - request.offset });
      for (let at = request.offset; at < end; at += MAX_CHUNK_BYTES) {
        const bytes = crypto.getRandomValues(new Uint8Array(Math.min(MAX_CHUNK_BYTES, end - at)));
        stats.badBytesSent += bytes.length;
        sendRaw({ type: FrameType.Data, requestId: request.requestId, offset: at, bytes });
      }
    } catch {
      // the channel closed: the receiver gave up on us
    }
  }
}
