import {
  HttpError,
  type Clock,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type PeerTransport,
  type SwarmDirectory,
} from '../io/interfaces.js';

/** An origin in memory: fixed latency and bandwidth, counts what it serves, can fail on demand. */
export class FakeOrigin {
  readonly files = new Map<string, Uint8Array>();
  servedBytes = 0;
  requests: Array<{ url: string; start: number; end: number }> = [];
  failWith: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly latencyMs = 50,
    private readonly bytesPerMs = 1000,
  ) {}

  client(): HttpClient {
    return { get: (request) => this.serve(request) };
  }

  private serve(request: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const file = this.files.get(request.url);
      const status = this.failWith ?? (file ? (request.range ? 206 : 200) : 404);
      const start = request.range?.start ?? 0;
      const end = request.range?.end === undefined ? (file?.length ?? 0) : request.range.end + 1;
      const body = file?.subarray(start, end) ?? new Uint8Array();
      const timer = this.clock.setTimeout(
        () => {
          request.signal.removeEventListener('abort', onAbort);
          if (status >= 400) return reject(new HttpError(`HTTP ${status}`, status));
          this.servedBytes += body.length;
          this.requests.push({ url: request.url, start, end });
          request.onHeaders?.(status);
          request.onProgress?.(body.length, body.length);
          resolve({ status, url: request.url, data: body.slice() });
        },
        this.latencyMs + body.length / this.bytesPerMs,
      );
      const onAbort = () => {
        this.clock.clearTimeout(timer);
        reject(new HttpError('aborted', 0, true));
      };
      request.signal.addEventListener('abort', onAbort);
    });
  }
}

/** One end of an in-memory data channel; frames arrive at the other end after a delay. */
export class FakeTransport implements PeerTransport {
  other: FakeTransport | undefined;
  private frameListeners: Array<(frame: Uint8Array) => void> = [];
  private closeListeners: Array<(detail?: string) => void> = [];
  closed = false;
  /** Frames this end sent, for assertions. */
  sentFrames = 0;
  /** Rewrites outgoing frames, for hostile-peer tests. */
  tamper: ((frame: Uint8Array) => Uint8Array | undefined) | undefined;

  constructor(
    readonly remoteId: string,
    readonly initiator: boolean,
    private readonly clock: Clock,
    private readonly latencyMs: number,
  ) {}

  get bufferedAmount(): number {
    return 0;
  }

  send(frame: Uint8Array): void {
    if (this.closed) throw new Error('send on closed transport');
    this.sentFrames++;
    const out = this.tamper ? this.tamper(frame) : frame;
    if (!out) return;
    const copy = out.slice();
    this.clock.setTimeout(() => {
      if (!this.other?.closed) this.other?.frameListeners.forEach((l) => l(copy));
    }, this.latencyMs);
  }

  onFrame(listener: (frame: Uint8Array) => void): void {
    this.frameListeners.push(listener);
  }

  onClose(listener: (detail?: string) => void): void {
    this.closeListeners.push(listener);
  }

  close(): void {
    this.shut('closed locally');
    const other = this.other;
    if (other) this.clock.setTimeout(() => other.shut('remote closed'), this.latencyMs);
  }

  shut(detail: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeListeners.forEach((l) => l(detail));
  }
}

/** A swarm directory in memory: every viewer that joins is connected to every other member. */
export class FakeSwarm {
  private readonly members = new Map<string, (transport: PeerTransport) => void>();
  readonly links: Array<[FakeTransport, FakeTransport]> = [];

  constructor(
    private readonly clock: Clock,
    private readonly latencyMs = 10,
  ) {}

  directory(selfId: string): SwarmDirectory {
    let joined = false;
    return {
      join: (_swarmId, onPeer) => {
        joined = true;
        this.members.set(selfId, onPeer);
        for (const otherId of this.members.keys()) if (otherId !== selfId) this.introduce(selfId, otherId);
      },
      requestMorePeers: () => {},
      // Like a tracker: nothing is known until we have announced ourselves.
      othersInSwarm: () => (joined ? Math.max(0, this.members.size - 1) : undefined),
      leave: () => {
        this.members.delete(selfId);
        for (const [a, b] of this.links) if (a.remoteId === selfId || b.remoteId === selfId) a.close();
      },
    };
  }

  /** Connects two members (again, if they already are: as a tracker relaying a re-announce does). */
  introduce(fromId: string, toId: string): [FakeTransport, FakeTransport] {
    const mine = new FakeTransport(toId, true, this.clock, this.latencyMs);
    const theirs = new FakeTransport(fromId, false, this.clock, this.latencyMs);
    mine.other = theirs;
    theirs.other = mine;
    this.links.push([mine, theirs]);
    this.members.get(fromId)?.(mine);
    this.members.get(toId)?.(theirs);
    return [mine, theirs];
  }

  /** Transport pairs between two viewers, for tampering or cutting. */
  link(a: string, b: string): [FakeTransport, FakeTransport] | undefined {
    return this.links.find(([x, y]) => (y.remoteId === a && x.remoteId === b) || (y.remoteId === b && x.remoteId === a));
  }
}
