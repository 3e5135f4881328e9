// The real @thaunknown/simple-websocket, once on streamx's Duplex and once on
// scripts/browser-shims/streamx.ts, on its browser code path (`ws` resolved to an empty object as
// its "browser" field does, so it uses the page's WebSocket and its bufferedAmount backpressure).
// The page's WebSocket is a scripted stand-in here: the test opens, messages, fills, errors and
// closes it, and each lifecycle the tracker client puts its socket through must be heard the same.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Duplex as ShimDuplex } from '../../scripts/browser-shims/streamx';
import { describeState, flush, loadWithDuplex, traceEvents, until, type DuplexSource, type ObservedStream } from './stream-trace';

/** A WebSocket whose events the test fires; what the socket asks of it goes into `calls`. */
class ScriptedWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static last: ScriptedWebSocket | undefined;
  readyState = ScriptedWebSocket.CONNECTING;
  bufferedAmount = 0;
  binaryType = 'blob';
  readonly calls: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    ScriptedWebSocket.last = this;
  }

  send(data: Uint8Array): void {
    this.calls.push(`send:${data.byteLength}`);
    this.bufferedAmount += data.byteLength;
  }

  close(): void {
    this.calls.push('close');
    this.readyState = ScriptedWebSocket.CLOSED;
  }

  open(): void {
    this.readyState = ScriptedWebSocket.OPEN;
    this.onopen?.();
  }
}

interface Socket extends ObservedStream {
  readonly connected: boolean;
  send(data: Uint8Array): void;
  write(data: Uint8Array): boolean;
  end(): void;
  destroy(error?: Error): void;
}
type SocketClass = new (options: { url: string }) => Socket;

async function loadSocket(source: DuplexSource): Promise<SocketClass> {
  vi.stubGlobal('WebSocket', ScriptedWebSocket);
  vi.doMock('ws', () => ({ default: {} }));
  return loadWithDuplex(source, async () => {
    // @ts-expect-error simple-websocket ships no types; the Socket interface above is the part used here.
    const module = (await import('@thaunknown/simple-websocket')) as { default: SocketClass };
    return module.default;
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('ws');
});

/** Runs one lifecycle on a socket of each kind; returns its events (with state) and what it asked of its WebSocket. */
async function onBoth(lifecycle: (socket: Socket, ws: () => ScriptedWebSocket, log: string[]) => Promise<void>) {
  const heard: Record<DuplexSource, string[]> = { streamx: [], shim: [] };
  for (const source of ['streamx', 'shim'] as const) {
    const Socket = await loadSocket(source);
    expect(Object.getPrototypeOf(Socket.prototype) === ShimDuplex.prototype).toBe(source === 'shim');
    const log = heard[source];
    const socket = new Socket({ url: 'wss://tracker.example/announce' });
    const ws = ScriptedWebSocket.last as ScriptedWebSocket;
    traceEvents(socket, log);
    await lifecycle(socket, () => ws, log);
    await flush();
    log.push(`settled ${describeState(socket)}`, ...ws.calls.map((call) => `ws.${call}`));
  }
  return heard;
}

describe('simple-websocket on the streamx shim', () => {
  it('write before connect, data both ways, then the server closes', async () => {
    const heard = await onBoth(async (socket, ws, log) => {
      log.push(`write:${socket.write(new Uint8Array(5))}`);
      await flush();
      ws().open();
      ws().onmessage?.({ data: new Uint8Array([1, 2]).buffer });
      socket.send(new Uint8Array(3)); // how the tracker client sends
      await flush();
      ws().onclose?.();
      await flush();
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim).toContain('data:[1,2] destroyed=false readEnded=false writeEnded=false');
    expect(heard.shim.filter((line) => line.startsWith('ws.send'))).toEqual(['ws.send:5', 'ws.send:3']); // the early write went on open
    expect(heard.shim.filter((line) => line.startsWith('close'))).toEqual(['close destroyed=true readEnded=false writeEnded=false']);
  });

  it('a connection error: error once, then close', async () => {
    const heard = await onBoth(async (socket, ws) => {
      ws().onerror?.({});
      ws().onerror?.({});
      await flush();
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim.filter((line) => line.startsWith('error'))).toHaveLength(1);
  });

  it("destroy(), as the tracker client's cleanup does: close, and the WebSocket closed", async () => {
    const heard = await onBoth(async (socket, ws) => {
      ws().open();
      socket.destroy();
      await flush();
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim.at(-1)).toBe('ws.close');
  });

  it('end(): finish, end, then the socket destroys itself and closes', async () => {
    const heard = await onBoth(async (socket, ws) => {
      ws().open();
      socket.end();
      await flush(1100); // past simple-websocket's own destroySoon timer
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim).toContain('close destroyed=true readEnded=true writeEnded=true');
  });

  it('backpressure: write() false from 16 KiB waiting, _write held while the WebSocket buffers over 64 KiB, drain once', async () => {
    const heard = await onBoth(async (socket, ws, log) => {
      ws().open();
      for (let i = 0; i < 4; i++) log.push(`write:${socket.write(new Uint8Array(40_000))}`);
      await flush();
      log.push(`buffered while full: ${ws().bufferedAmount}`);
      ws().bufferedAmount = 0; // the network took it: simple-websocket's 150 ms poll lets the next write go
      await until(() => ws().calls.length === 4, 'every chunk sent', 3000);
      ws().bufferedAmount = 0;
      await flush(200);
      socket.destroy();
    });
    expect(heard.shim).toEqual(heard.streamx);
    expect(heard.shim.filter((line) => line.startsWith('drain'))).toHaveLength(1);
    expect(heard.shim).toContain('buffered while full: 80000'); // the second chunk's callback was held
    expect(heard.shim.filter((line) => line.startsWith('ws.send'))).toHaveLength(4);
  });
});
