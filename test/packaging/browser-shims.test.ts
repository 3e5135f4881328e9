// The drop-in bundle swaps `events`, `text-decoder` and `queue-microtask` for small modules over
// browser natives (scripts/browser-shims). Each is checked against the package it replaces, on
// the API its bundled callers use.
import { EventEmitter as NodeEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { EventEmitter } from '../../scripts/browser-shims/events';
import queueTask from '../../scripts/browser-shims/queue-microtask';
import StreamTextDecoder from '../../scripts/browser-shims/text-decoder';

type Decoder = { push(data: Uint8Array): string; end(data?: Uint8Array): string; readonly remaining: number };
const PackageTextDecoder = createRequire(import.meta.url)('text-decoder') as new (encoding?: string) => Decoder;

type Emitter = Pick<NodeEmitter, 'on' | 'once' | 'emit' | 'removeListener' | 'removeAllListeners'>;

/** One script of calls, as streamx / simple-peer / the tracker client make them; returns what was heard. */
function script(emitter: Emitter): string[] {
  const heard: string[] = [];
  emitter.on('newListener', (name: string) => heard.push(`new:${name}`));
  const onData = (x: number) => heard.push(`data:${x}`);
  const onceData = (x: number) => heard.push(`once:${x}`);
  const late = () => heard.push('late');
  emitter.on('data', onData);
  emitter.on('data', onData);
  emitter.once('data', onceData);
  emitter.on('data', () => emitter.on('data', late)); // added during emit: heard next time only
  heard.push(`emit:${emitter.emit('data', 1)}`);
  emitter.removeListener('data', onData); // one of the two goes
  heard.push(`emit:${emitter.emit('data', 2)}`);
  const onceRemoved = () => heard.push('never');
  emitter.once('end', onceRemoved);
  emitter.removeListener('end', onceRemoved); // by the function passed to once
  heard.push(`emit:${emitter.emit('end')}`);
  emitter.removeAllListeners('data');
  heard.push(`emit:${emitter.emit('data', 3)}`);
  emitter.on('error', (error: Error) => heard.push(`error:${error.message}`));
  emitter.emit('error', new Error('handled'));
  emitter.removeAllListeners();
  try {
    emitter.emit('error', new Error('unhandled'));
  } catch (error) {
    heard.push(`thrown:${(error as Error).message}`);
  }
  return heard;
}

describe('browser shim for events', () => {
  it('hears the same calls, in the same order, as Node events', () => {
    const ours = script(new EventEmitter() as unknown as Emitter);
    expect(ours).toEqual(script(new NodeEmitter()));
    expect(ours).toContain('thrown:unhandled');
  });

  it('calls listeners with the emitter as this, and refuses a listener that is not a function', () => {
    const emitter = new EventEmitter();
    const seenThis: unknown[] = [];
    emitter.on('x', function (this: unknown) {
      seenThis.push(this);
    });
    emitter.emit('x');
    expect(seenThis).toHaveLength(1);
    expect(seenThis[0]).toBe(emitter);
    expect(() => emitter.on('x', 'nope' as never)).toThrow(/listener.*function/);
  });
});

describe('browser shim for text-decoder', () => {
  const text = 'a€b😀c é';
  const bytes = new TextEncoder().encode(text);

  it('decodes utf8 split at every byte like the text-decoder package, holding back the same bytes', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      for (let cut2 = cut; cut2 <= bytes.length; cut2++) {
        const ours = new StreamTextDecoder('utf-8');
        const theirs = new PackageTextDecoder('utf-8');
        const parts = [bytes.subarray(0, cut), bytes.subarray(cut, cut2), bytes.subarray(cut2)];
        const outOurs = parts.map((part) => [ours.push(part), ours.remaining]);
        const outTheirs = parts.map((part) => [theirs.push(part), theirs.remaining]);
        expect(outOurs).toEqual(outTheirs);
        expect(outOurs.map(([s]) => s).join('') + ours.end()).toBe(text);
      }
    }
  });

  it('replaces a truncated character at the end like the package does', () => {
    const ours = new StreamTextDecoder();
    const theirs = new PackageTextDecoder();
    const truncated = bytes.subarray(0, 3); // 'a' and 2 of the 3 bytes of '€'
    const cutEmoji = new TextEncoder().encode('x😀').subarray(0, 3);
    expect(ours.push(truncated) + ours.push(cutEmoji) + ours.end()).toBe(theirs.push(truncated) + theirs.push(cutEmoji) + theirs.end());
  });

  it('says which encodings it supports when given another', () => {
    expect(() => new StreamTextDecoder('latin1')).toThrow(/Unsupported encoding.*latin1.*only utf8/);
  });
});

describe('browser shim for queue-microtask', () => {
  it('runs the task after the current job, before timers', async () => {
    const order: string[] = [];
    const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 0));
    queueTask(() => order.push('microtask'));
    order.push('sync');
    await timer;
    expect(order).toEqual(['sync', 'microtask', 'timer']);
  });
});
