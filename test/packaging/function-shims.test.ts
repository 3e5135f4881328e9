// The drop-in bundle swaps three one-function packages (once, run-parallel, err-code) for modules
// of ours (scripts/browser-shims) to stay inside its size budget. Each is run side by side with the
// package it replaces, on the calls the bundled libraries make.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import ourErrCode from '../../scripts/browser-shims/err-code';
import ourOnce from '../../scripts/browser-shims/once';
import ourParallel from '../../scripts/browser-shims/run-parallel';

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
