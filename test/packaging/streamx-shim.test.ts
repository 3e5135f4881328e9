// The drop-in bundles swap streamx for scripts/browser-shims/streamx.ts. Each call script here is
// run on a Duplex subclass of each, written the way simple-peer and simple-websocket subclass it
// (a _write that holds its callback until "connected" or while the channel is full, a _final that
// pushes null, a _destroy that may call back later), and must be heard the same: same events in
// the same order, same destroyed / _readableState.ended / _writableState.ended at each, same
// return values and same calls into the subclass.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Duplex as ShimDuplex } from '../../scripts/browser-shims/streamx';
import { describeState, flush, traceEvents } from './stream-trace';

type Callback = (error?: Error | null) => void;

interface DuplexLike {
  readonly destroyed: boolean;
  readonly _readableState: { readonly ended: boolean };
  readonly _writableState: { readonly ended: boolean };
  on(name: string, listener: (...args: never[]) => void): unknown;
  push(data: unknown): unknown;
  write(data: unknown): boolean;
  end(data?: unknown): unknown;
  destroy(error?: Error): void;
}
type DuplexClass = new (options?: unknown) => DuplexLike;

const StreamxDuplex = (createRequire(import.meta.url)('streamx') as { Duplex: DuplexClass }).Duplex;

/** A subclass whose _write, _final and _destroy callbacks the script decides on; every call is logged. */
function scripted(Base: DuplexClass, log: string[]) {
  return class Scripted extends Base {
    holdWrites = false;
    holdDestroy = false;
    finalError: Error | undefined;
    readonly heldWrites: Callback[] = [];
    heldDestroy: Callback | undefined;

    _write(data: Uint8Array, callback: Callback): void {
      log.push(`_write:${data.byteLength} ${describeState(this)}`);
      if (this.holdWrites) this.heldWrites.push(callback);
      else callback(null);
    }

    _final(callback: Callback): void {
      log.push(`_final ${describeState(this)}`);
      if (!this._readableState.ended) this.push(null);
      callback(this.finalError ?? null);
    }

    _destroy(callback: Callback): void {
      log.push(`_destroy ${describeState(this)}`);
      if (this.holdDestroy) this.heldDestroy = callback;
      else callback(null);
    }

    /** Lets the oldest held write complete (a connect, or the channel draining), and says what followed at once. */
    release(error: Error | null = null): void {
      this.heldWrites.shift()?.(error);
      log.push(`released ${describeState(this)}`);
    }
  };
}
type Scripted = InstanceType<ReturnType<typeof scripted>>;

const bytes = (length: number) => new Uint8Array(length).fill(1);

/** Runs one call script on a stream of each kind; returns both logs. */
async function onBoth(script: (stream: Scripted, log: string[]) => Promise<void>): Promise<{ shim: string[]; streamx: string[] }> {
  const run = async (Base: DuplexClass) => {
    const log: string[] = [];
    const stream = new (scripted(Base, log))({ allowHalfOpen: false });
    await script(stream, log);
    await flush();
    log.push(`settled ${describeState(stream)}`);
    return log;
  };
  return { shim: await run(ShimDuplex), streamx: await run(StreamxDuplex) };
}

describe('browser shim for streamx: the Duplex paths simple-peer and simple-websocket use', () => {
  it('write before connect, data both ways, then end() → finish → end → destroys itself with no error', async () => {
    const { shim, streamx } = await onBoth(async (stream, log) => {
      stream.holdWrites = true; // not connected yet: _write keeps the chunk and its callback
      log.push(`write:${stream.write(bytes(3))}`, `write:${stream.write(bytes(4))}`);
      await flush();
      stream.push(new Uint8Array([7])); // arrives before anyone listens: kept for the first listener
      await flush();
      traceEvents(stream, log);
      await flush();
      stream.holdWrites = false;
      stream.release(); // "connect": the next chunk goes to _write at once
      await flush();
      stream.push(new Uint8Array([8]));
      stream.end();
      log.push(`after end ${describeState(stream)}`);
      await flush();
    });
    expect(shim).toEqual(streamx);
    expect(shim).toContain('data:[7] destroyed=false readEnded=false writeEnded=false');
    expect(shim.at(-2)).toBe('close destroyed=true readEnded=true writeEnded=true');
    expect(shim.some((line) => line.startsWith('error'))).toBe(false);
  });

  it('destroy(): buffered and later data is dropped, writes refused, close once, no error', async () => {
    const { shim, streamx } = await onBoth(async (stream, log) => {
      stream.push(new Uint8Array([1]));
      traceEvents(stream, log);
      stream.destroy();
      stream.destroy(new Error('second destroy is ignored'));
      stream.push(new Uint8Array([2]));
      log.push(`write:${stream.write(bytes(1))} ${describeState(stream)}`);
      await flush();
      log.push(`write:${stream.write(bytes(1))}`);
      stream.end();
      await flush();
    });
    expect(shim).toEqual(streamx);
    expect(shim.filter((line) => line.startsWith('close'))).toEqual(['close destroyed=true readEnded=false writeEnded=false']);
  });

  it('destroy(err): error once, then close, destroyed only from close on', async () => {
    const { shim, streamx } = await onBoth(async (stream, log) => {
      traceEvents(stream, log);
      stream.on('error', () => log.push(`destroyed during error: ${stream.destroyed}`));
      stream.destroy(new Error('boom'));
      stream.destroy(new Error('again'));
      await flush();
    });
    expect(shim).toEqual(streamx);
    expect(shim.filter((line) => line.startsWith('error'))).toEqual(['error:boom destroyed=false readEnded=false writeEnded=false']);
  });

  it('a _destroy that calls back later (simple-peer waits a timer): destroyed and close wait for it', async () => {
    const { shim, streamx } = await onBoth(async (stream, log) => {
      traceEvents(stream, log);
      stream.holdDestroy = true;
      stream.destroy(new Error('late'));
      await flush();
      log.push(`waiting ${describeState(stream)}`);
      stream.heldDestroy?.(null);
    });
    expect(shim).toEqual(streamx);
    expect(shim).toContain('waiting destroyed=false readEnded=false writeEnded=false');
  });

  it('a _destroy that never calls back (simple-peer after its own __destroy): no close, never destroyed', async () => {
    const { shim, streamx } = await onBoth(async (stream, log) => {
      traceEvents(stream, log);
      stream.holdDestroy = true;
      stream.end(); // _final pushes null: finish, end, then streamx destroys the stream itself
      await flush(5);
    });
    expect(shim).toEqual(streamx);
    expect(shim.at(-1)).toBe('settled destroyed=false readEnded=true writeEnded=true');
  });

  it('backpressure: false from 16 KiB buffered, one _write at a time, the next one as soon as one calls back, drain once', async () => {
    const { shim, streamx } = await onBoth(async (stream, log) => {
      traceEvents(stream, log);
      stream.holdWrites = true; // the channel is full until released
      for (let i = 0; i < 4; i++) log.push(`write:${stream.write(bytes(6000))}`);
      await flush();
      for (let i = 0; i < 4; i++) stream.release();
      log.push(`write:${stream.write(bytes(10))}`);
      await flush();
      stream.release();
      stream.end(bytes(5)); // the last chunk, then _final
      log.push(`after end: write:${stream.write(bytes(1))}`);
      await flush();
      stream.release();
      await flush();
    });
    expect(shim).toEqual(streamx);
    expect(shim.slice(0, 4)).toEqual(['write:true', 'write:true', 'write:false', 'write:false']);
    // A released write hands over the next chunk before release() returns; drain comes once the
    // queue is empty (the last chunk may still be out), and only once.
    expect(shim.slice(5, 7)).toEqual([
      '_write:6000 destroyed=false readEnded=false writeEnded=false',
      'released destroyed=false readEnded=false writeEnded=false',
    ]);
    expect(shim.filter((line) => line.startsWith('drain'))).toHaveLength(1);
  });

  it('destroy() while a write is out: _destroy waits for its callback', async () => {
    const { shim, streamx } = await onBoth(async (stream, log) => {
      traceEvents(stream, log);
      stream.holdWrites = true;
      stream.write(bytes(2));
      stream.write(bytes(3));
      await flush();
      stream.destroy();
      await flush();
      log.push(`waiting ${describeState(stream)}`);
      stream.release();
      await flush();
    });
    expect(shim).toEqual(streamx);
    expect(shim).toContain('waiting destroyed=false readEnded=false writeEnded=false');
  });

  it('a write or _final failing destroys the stream with that error', async () => {
    const failingWrite = await onBoth(async (stream, log) => {
      traceEvents(stream, log);
      stream.holdWrites = true;
      stream.write(bytes(1));
      stream.write(bytes(1));
      await flush();
      stream.release(new Error('send failed'));
      await flush();
    });
    expect(failingWrite.shim).toEqual(failingWrite.streamx);
    const failingFinal = await onBoth(async (stream, log) => {
      traceEvents(stream, log);
      stream.finalError = new Error('final failed');
      stream.end();
      await flush();
    });
    expect(failingFinal.shim).toEqual(failingFinal.streamx);
    expect(failingFinal.shim.some((line) => line.startsWith('error:final failed'))).toBe(true);
  });

  it("a first 'data' listener and end() in one tick: data and end wait for the stream to open, after finish", async () => {
    const { shim, streamx } = await onBoth(async (stream, log) => {
      stream.push(new Uint8Array([1]));
      stream.push(null);
      await flush();
      log.push(`unread ${describeState(stream)}`);
      traceEvents(stream, log, ['data', 'end', 'close']);
      stream.end();
      await flush();
    });
    expect(shim).toEqual(streamx);
    expect(shim).toContain('unread destroyed=false readEnded=false writeEnded=false');
  });
});
