// shoal-tracker's start failures an operator can fix get one clear line, not a stack trace.
import { describe, expect, it } from 'vitest';
import { describeStartError } from '../src/start-errors.js';

const target = { host: '127.0.0.1', port: 8000 };
const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('describeStartError', () => {
  it('says a port in use is in use, and how to pick another', () => {
    expect(describeStartError(failure('EADDRINUSE'), target)).toBe(
      'port 8000 on 127.0.0.1 is already in use (another tracker?). Stop that process or choose another port with --port or SHOAL_TRACKER_PORT.',
    );
  });

  it('explains permission and unknown-host failures', () => {
    expect(describeStartError(failure('EACCES'), target)).toMatch(/^no permission to listen on 127\.0\.0\.1:8000/);
    expect(describeStartError(failure('EADDRNOTAVAIL'), target)).toMatch(/not an address of this machine; set --host/);
  });

  it('leaves anything else to the stack trace (a bug, not a setting)', () => {
    expect(describeStartError(new TypeError('x is undefined'), target)).toBeUndefined();
    expect(describeStartError(undefined, target)).toBeUndefined();
  });
});
