// The real @thaunknown/simple-peer (lite.js, as bittorrent-tracker's client loads it), once on
// streamx's Duplex and once on scripts/browser-shims/streamx.ts, two Node peers connected over
// native WebRTC (@roamhq/wrtc): each lifecycle the tracker client and our adapters go through
// must be heard the same on both. Only each peer's own order is compared (the two peers' events
// interleave as the network has it), and the data a peer receives is kept apart from its other
// events (whether a message lands before or after that peer's 'connect' is the network's call too).
import { afterEach, describe, expect, it } from 'vitest';
import { Duplex as ShimDuplex } from '../../scripts/browser-shims/streamx';
import { describeState, flush, loadWithDuplex, traceEvents, until, type DuplexSource, type ObservedStream } from './stream-trace';

interface Peer extends ObservedStream {
  readonly connected: boolean;
  signal(data: unknown): void;
  send(data: Uint8Array): void;
  write(data: Uint8Array): boolean;
  end(): void;
  destroy(error?: Error): void;
  __destroy(error?: Error): void;
}
type PeerClass = new (options: object) => Peer;

// lite.js ships no types; the Peer interface above is the part used here.
const loadPeer = (source: DuplexSource) =>
  loadWithDuplex(source, async () => {
    // @ts-expect-error no declaration file
    const module = (await import('@thaunknown/simple-peer/lite.js')) as { default: PeerClass };
    return module.default;
  });

interface Side {
  readonly peer: Peer;
  readonly events: string[];
  readonly received: string[];
}

const opened: Peer[] = [];
afterEach(() => {
  for (const peer of opened.splice(0)) if (!peer.destroyed) peer.destroy();
});

function side(Peer: PeerClass, initiator: boolean): Side {
  const peer = new Peer({ initiator, trickle: true, config: { iceServers: [] } });
  opened.push(peer);
  const events: string[] = [];
  const received: string[] = [];
  traceEvents(peer, events, ['connect', 'end', 'finish', 'drain', 'error', 'close']);
  peer.on('data', (data: Uint8Array) => received.push(`${data.byteLength}:${data[0]} ${describeState(peer)}`));
  return { peer, events, received };
}

/** Two peers of one class, signalling each other directly (no tracker). */
function pair(Peer: PeerClass): [Side, Side] {
  const a = side(Peer, true);
  const b = side(Peer, false);
  a.peer.on('signal', (data: unknown) => b.peer.signal(data));
  b.peer.on('signal', (data: unknown) => a.peer.signal(data));
  return [a, b];
}

const connected = (a: Side, b: Side) => until(() => a.peer.connected && b.peer.connected, 'both peers to connect');
const chunk = (length: number, mark: number) => new Uint8Array(length).fill(mark);
const snapshot = ({ events, received }: Side) => ({ events: [...events], received: [...received] });

/** Runs one lifecycle on a streamx pair and on a shim pair; returns what each pair's peers heard. */
async function onBoth(lifecycle: (a: Side, b: Side) => Promise<void>) {
  const heard: Record<DuplexSource, { a: ReturnType<typeof snapshot>; b: ReturnType<typeof snapshot> }> = {} as never;
  for (const source of ['streamx', 'shim'] as const) {
    const Peer = await loadPeer(source);
    expect(Object.getPrototypeOf(Peer.prototype) === ShimDuplex.prototype).toBe(source === 'shim');
    const [a, b] = pair(Peer);
    await lifecycle(a, b);
    heard[source] = { a: snapshot(a), b: snapshot(b) };
  }
  return heard;
}

describe('simple-peer on the streamx shim, over real WebRTC', () => {
  it('write before connect, data both ways, local destroy(); the remote closes through _onChannelClose', async () => {
    const heard = await onBoth(async (a, b) => {
      a.events.push(`write:${a.peer.write(chunk(100, 1))}`); // held by simple-peer until connected
      await connected(a, b);
      a.peer.send(chunk(10, 2));
      b.peer.write(chunk(20, 3));
      await until(() => a.received.length === 1 && b.received.length === 2, 'data both ways');
      a.peer.destroy();
      await until(() => a.peer.destroyed && b.peer._readableState.ended, 'a to close and b to end');
      await flush(50);
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim.a.events.at(-1)).toBe('close destroyed=true readEnded=false writeEnded=false');
    // streamx's own behaviour, kept: simple-peer's __destroy() leaves the remote end without 'close'.
    expect(heard.shim.b.events.slice(-2)).toEqual([
      'finish destroyed=false readEnded=false writeEnded=true',
      'end destroyed=false readEnded=true writeEnded=true',
    ]);
  }, 30_000);

  it('destroy(err): one error, then close', async () => {
    const heard = await onBoth(async (a, b) => {
      await connected(a, b);
      a.peer.destroy(new Error('local failure'));
      await until(() => a.peer.destroyed, 'a to close');
      await flush(50);
    });
    expect(heard.shim.a).toEqual(heard.streamx.a);
    expect(heard.shim.a.events.slice(-2)).toEqual([
      'error:local failure destroyed=false readEnded=false writeEnded=false',
      'close destroyed=true readEnded=false writeEnded=false',
    ]);
  }, 30_000);

  it("__destroy(err), simple-peer's path for channel and ICE failures: finish, end, the error once, no close", async () => {
    const heard = await onBoth(async (a, b) => {
      await connected(a, b);
      a.peer.__destroy(new Error('channel failure'));
      await until(() => a.events.some((line) => line.startsWith('error')) && b.peer._readableState.ended, 'the error and the remote end');
      await flush(1200); // past simple-peer's destroySoon timer
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim.a.events.filter((line) => line.startsWith('error'))).toHaveLength(1);
    expect(heard.shim.a.events.some((line) => line.startsWith('close'))).toBe(false);
  }, 30_000);

  it('end(): finish, end, then the stream destroys itself and closes', async () => {
    const heard = await onBoth(async (a, b) => {
      await connected(a, b);
      a.peer.end();
      await until(() => a.peer.destroyed && b.peer._readableState.ended, 'a to close and b to end');
      await flush(1200); // simple-peer's destroySoon timer fires on a destroyed peer: nothing more
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim.a.events.slice(-3)).toEqual([
      'finish destroyed=false readEnded=false writeEnded=true',
      'end destroyed=false readEnded=true writeEnded=true',
      'close destroyed=true readEnded=true writeEnded=true',
    ]);
  }, 30_000);

  it("backpressure: write() says false past 16 KiB, the channel's buffer holds _write back, drain once, every byte arrives", async () => {
    const heard = await onBoth(async (a, b) => {
      await connected(a, b);
      for (let i = 1; i <= 6; i++) a.events.push(`write:${a.peer.write(chunk(40_000, i))}`);
      await until(() => b.received.length === 6, 'all chunks');
      await flush(50);
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim.a.events.filter((line) => line.startsWith('drain'))).toHaveLength(1);
    expect(heard.shim.b.received.map((line) => line.split(' ')[0])).toEqual([
      '40000:1',
      '40000:2',
      '40000:3',
      '40000:4',
      '40000:5',
      '40000:6',
    ]);
  }, 30_000);
});
