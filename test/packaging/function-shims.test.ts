// The drop-in bundle swaps small packages (once, run-parallel, err-code, uint8-util) for modules
// of ours (scripts/browser-shims) to stay inside its size budget. Each is run side by side with the
// package it replaces, on the calls the bundled libraries make.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import ourErrCode from '../../scripts/browser-shims/err-code';
import ourOnce from '../../scripts/browser-shims/once';
import ourParallel from '../../scripts/browser-shims/run-parallel';
import * as ourUint8 from '../../scripts/browser-shims/uint8-util';

const require = createRequire(import.meta.url);
const theirOnce = require('once') as typeof ourOnce;
const theirParallel = require('run-parallel') as typeof ourParallel;
const theirErrCode = require('err-code') as typeof ourErrCode;

type Done = (error: unknown, result?: unknown) => void;

/** Runs one script of tasks through an implementation; returns every callback call, in order, and whether any came synchronously. */
async function runScript(parallel: typeof ourParallel, tasks: Record<string, (done: Done) => void> | ((done: Done) => void)[]) {
  const calls: unknown[] = [];
  let sync = true;
  parallel(tasks, (error, results) => calls.push({ error, results: structuredClone(results), sync }));
  sync = false;
  await new Promise((resolve) => setTimeout(resolve, 20));
  return calls;
}

describe('browser shim for once', () => {
  it('runs the function on the first call only, with its this, and returns the first result every time', () => {
    for (const once of [ourOnce, theirOnce]) {
      const seen: unknown[] = [];
      const target = {
        run: once(function (this: unknown, x: number) {
          seen.push(this, x);
          return x * 2;
        }),
      };
      expect([target.run(1), target.run(5)]).toEqual([2, 2]);
      expect(seen).toEqual([target, 1]);
    }
  });
});

describe('browser shim for run-parallel', () => {
  const later = (value: unknown, ms: number, error?: Error) => (done: Done) => setTimeout(() => done(error ?? null, value), ms);
  const now = (value: unknown) => (done: Done) => done(null, value);
  const scripts: Record<string, () => Record<string, (done: Done) => void> | ((done: Done) => void)[]> = {
    'an empty list': () => [],
    'tasks that all finish synchronously': () => [now('a'), now('b')],
    'tasks finishing out of order': () => [later('slow', 10), later('fast', 1), now('sync')],
    'an object of tasks': () => ({ x: later(1, 5), y: now(2) }),
    'a failing task, then others finishing': () => [later('ok', 10), later(undefined, 1, new Error('boom')), later('late', 5)],
  };
  for (const [name, tasks] of Object.entries(scripts)) {
    it(`calls back as the package does for ${name}`, async () => {
      const ours = await runScript(ourParallel, tasks());
      expect(ours).toEqual(await runScript(theirParallel, tasks()));
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatchObject({ sync: false });
    });
  }
});

describe('browser shim for err-code', () => {
  const describeError = (error: Error) => ({ message: error.message, own: Object.entries(error), isError: error instanceof Error });

  it('tags the error with a code, or with props, as enumerable own fields, and returns the same error', () => {
    for (const [code, props] of [
      ['ERR_PC_CONSTRUCTOR', undefined],
      ['ERR_X', { detail: 1 }],
      [{ code: 'ERR_Y', extra: true }, undefined],
    ] as const) {
      const mine = new Error('m');
      const theirs = new Error('m');
      expect(ourErrCode(mine, code, props)).toBe(mine);
      expect(describeError(mine)).toEqual(describeError(theirErrCode(theirs, code, props)));
    }
  });

  it('refuses something that is not an error, with the package message', () => {
    expect(() => ourErrCode('text' as never, 'ERR')).toThrow('Please pass an Error to err-code');
    expect(() => theirErrCode('text' as never, 'ERR')).toThrow('Please pass an Error to err-code');
  });
});

describe('browser shim for uint8-util', () => {
  it('converts like the package for the calls the tracker client and simple-peer make', async () => {
    const theirs = (await import('uint8-util')) as unknown as typeof ourUint8;
    const bytes = new Uint8Array([0, 1, 15, 16, 127, 128, 200, 255]);
    const binary = String.fromCharCode(...bytes);
    for (const impl of [ourUint8, theirs]) {
      expect(impl.arr2hex(bytes)).toBe('00010f107f80c8ff');
      expect([...impl.hex2arr('00010f107f80c8ff')]).toEqual([...bytes]);
      expect([...impl.hex2arr('0A0b')]).toEqual([10, 11]);
      expect(impl.bin2hex(binary)).toBe('00010f107f80c8ff');
      expect(impl.hex2bin('00010f107f80c8ff')).toBe(binary);
      expect(impl.arr2text(impl.text2arr('offer ✓'))).toBe('offer ✓');
      expect([...impl.concat([bytes.subarray(0, 2), bytes.subarray(6)])]).toEqual([0, 1, 200, 255]);
      expect(impl.randomBytes(20)).toHaveLength(20);
    }
    expect(ourUint8.arr2hex(ourUint8.randomBytes(20))).toMatch(/^[0-9a-f]{40}$/);
  });
});
