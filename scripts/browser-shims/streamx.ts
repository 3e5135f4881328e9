// Stands in for `streamx` in browser bundles. Its only bundled users are @thaunknown/simple-peer
// (lite.js) and @thaunknown/simple-websocket, whose Peer and Socket extend its Duplex. streamx with
// fast-fifo and its error class took 5.5 KB of the drop-in files' 40 KiB gzipped budget, this
// module takes 0.44 KB: shoal-hlsjs.min.js went from 40 870 to 36 183 bytes gzipped, and
// shoal-shaka.min.js from 40 960 to 36 267 (dist/*.contents.txt list what is left).
//
// Kept, with streamx's semantics (checked against it on the same call scripts in
// test/packaging/streamx-shim*.test.ts): write() queues and hands one chunk at a time to _write,
// returning false from 16 KiB waiting and emitting 'drain' once none is waiting; end() runs
// _final after the queued writes, then 'finish'; push() queues what 'data' listeners get (from the
// first listener on, never after destroy() or 'end'), push(null) is 'end' once that queue is
// empty; with 'end' and 'finish' both done the stream destroys itself; destroy(err) runs _destroy
// once nothing is scheduled or being written, then emits 'error' (err, once) and 'close', with
// `destroyed` true from 'close' on. Each side's work runs in a microtask, as in streamx, and a
// _write callback made outside that work hands over the next chunk at once; a new stream opens
// (no _open: neither subclass has one) on its first work, once neither side has more waiting.
//
// Left out, as no bundled caller uses them: the constructor options (simple-peer passes
// allowHalfOpen, which streamx ignores too), _open and the 'open' event, _read/read()/'readable',
// pause/resume, pipe/pipeline, cork, setEncoding, async iteration, Readable/Writable/Transform,
// push()'s return value and 'drain' only when listened to (emitting it to no one is the same).
// simple-peer's own quirk is kept by keeping streamx's order: its __destroy() calls end() and then
// its _destroy directly, so streamx's later call of _destroy is ignored and the stream emits
// 'finish' and 'end' but neither 'close' nor destroyed = true, exactly as with streamx.
import { EventEmitter } from './events';

type Callback = (error?: Error | null) => void;

const HIGH_WATER_MARK = 16384;
/** What a chunk counts for against HIGH_WATER_MARK: its bytes, or 1024 for anything else (as streamx counts). */
function byteLength(data: unknown): number {
  const length = (data as { byteLength?: unknown } | null)?.byteLength;
  return typeof length === 'number' ? length : 1024;
}

/** One side's work, scheduled as streamx does: one microtask at most, and a request made while it runs runs it once more. */
class Pump {
  ticking = false;
  running = false;

  constructor(private readonly work: () => void) {}

  /** streamx's updateNextTick. */
  later(): void {
    if (this.ticking) return;
    this.ticking = true;
    if (this.running) return;
    queueMicrotask(() => {
      if (this.running) return;
      this.ticking = false;
      this.run();
    });
  }

  /** streamx's update: a later() made while the work ran is served by one more round, not a microtask. */
  run(): void {
    this.running = true;
    for (;;) {
      this.work();
      if (!this.ticking) break;
      this.ticking = false;
    }
    this.running = false;
  }
}

export class Duplex extends EventEmitter {
  // Read by simple-peer's _final and simple-websocket's _destroy: 'end' / 'finish' happened.
  _readableState = { ended: false };
  _writableState = { ended: false };

  #readQueue: unknown[] = [];
  #writeQueue: unknown[] = [];
  #buffered = 0;
  #undrained = false;
  #opening = true; // until both sides' first work has run
  #flowing = false;
  #readEnding = false; // push(null) seen
  #writeEnding = false; // end() called
  #finishing = false; // end() called, 'finish' not yet
  #writing = false; // a _write or _final has not called back yet
  #destroying = false;
  #closing = false; // _destroy called
  #destroyed = false;
  #error: Error | undefined;
  #read = new Pump(() => this.#readWork());
  #write = new Pump(() => this.#writeWork());

  // streamx takes options; none that simple-peer or simple-websocket pass are used here.
  constructor(_options?: unknown) {
    super();
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  override on(name: string | symbol, listener: Parameters<EventEmitter['on']>[1]): this {
    if (name === 'data') {
      this.#flowing = true;
      this.#read.later();
    }
    return super.on(name, listener);
  }

  push(data: unknown): void {
    if (!this.#opening) this.#read.later();
    if (data === null) this.#readEnding = true;
    else this.#readQueue.push(data);
  }

  write(data: unknown): boolean {
    this.#write.later();
    if (this.#writeEnding || this.#destroying) return false;
    return this.#queue(data);
  }

  end(data?: unknown): this {
    this.#write.later();
    if (typeof data === 'function') this.once('finish', data as Callback);
    else if (data != null) this.write(data);
    this.#writeEnding = this.#finishing = true;
    return this;
  }

  destroy(error?: Error | null): void {
    if (this.#destroying) return;
    this.#destroying = true;
    this.#error = error ?? undefined;
    this.#read.later();
    this.#write.later();
  }

  _write(_data: unknown, callback: Callback): void {
    callback(null);
  }

  _final(callback: Callback): void {
    callback(null);
  }

  _destroy(callback: Callback): void {
    callback(null);
  }

  #queue(data: unknown): boolean {
    this.#writeQueue.push(data);
    this.#buffered += byteLength(data);
    if (this.#buffered < HIGH_WATER_MARK) return true;
    this.#undrained = true;
    return false;
  }

  #readWork(): void {
    const readEnded = this._readableState;
    const blocked = () => this.#opening || this.#destroying;
    while (this.#flowing && this.#readQueue.length > 0 && !blocked() && !readEnded.ended) this.emit('data', this.#readQueue.shift());
    if (this.#readEnding && !readEnded.ended && this.#readQueue.length === 0 && !blocked()) {
      readEnded.ended = true;
      this.emit('end');
      this.#autoDestroy();
    }
    if (this.#readEnding || blocked()) this.#destroyOrOpen();
  }

  #writeWork(): void {
    while (!this.#writing && this.#writeQueue.length > 0 && !this.#opening && !this.#destroying) {
      const data = this.#writeQueue.shift();
      this.#buffered -= byteLength(data);
      this.#writing = true;
      this._write(data, (error) => this.#afterWrite(error));
    }
    // streamx's non-primary step: only once opening, ending or destroying, and not while a write is out.
    if (this.#writing || !(this.#opening || this.#writeEnding || this.#destroying)) return;
    if (this.#finishing && this.#writeQueue.length === 0 && !this.#opening && !this.#destroying && !this._writableState.ended) {
      this.#writing = true;
      this._final((error) => this.#afterFinal(error));
    } else this.#destroyOrOpen();
  }

  /**
   * streamx's updateCallback: the side's work runs now if it is idle and neither ending nor
   * destroying, else in its microtask.
   */
  #continue(pump: Pump, ending: boolean): void {
    if (!pump.running && !pump.ticking && !ending && !this.#destroying) pump.run();
    else pump.later();
  }

  #afterWrite(error?: Error | null): void {
    if (error) this.destroy(error);
    this.#writing = false;
    if (this.#undrained && this.#writeQueue.length === 0 && !this.#destroying) {
      this.#undrained = false;
      this.emit('drain');
    }
    this.#continue(this.#write, this.#writeEnding);
  }

  #afterFinal(error?: Error | null): void {
    if (error) this.destroy(error);
    if (!this.#destroying) {
      this._writableState.ended = true;
      this.emit('finish');
    }
    this.#autoDestroy();
    this.#finishing = this.#writing = false;
    if (this.#write.running) this.#write.later();
    else this.#write.run();
  }

  /** Both sides done: streamx destroys the stream itself, with no error. */
  #autoDestroy(): void {
    if (this._readableState.ended && this._writableState.ended) this.#destroying = true;
  }

  /**
   * Once neither side has work waiting: a destroyed stream calls _destroy (once), a new one opens
   * (streamx opens on the first work asked of it, so data and writes wait for both sides' first
   * round) and lets each side continue.
   */
  #destroyOrOpen(): void {
    if (this.#read.ticking || this.#write.ticking) return;
    if (this.#destroying) {
      if (this.#closing) return;
      this.#closing = true;
      this._destroy((error) => {
        error ||= this.#error;
        if (error) this.emit('error', error);
        this.#destroyed = true;
        this.emit('close');
      });
    } else if (this.#opening) {
      this.#opening = false;
      this.#continue(this.#write, this.#writeEnding);
      this.#continue(this.#read, this.#readEnding);
    }
  }
}
