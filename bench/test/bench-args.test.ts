import { describe, expect, it } from 'vitest';
import { ArgsError, HELP, isLoopbackHost, parseBenchArgs } from '../src/cli/args.js';

function args(argv: string[]) {
  const parsed = parseBenchArgs(argv);
  if (parsed.help) throw new Error('help');
  return parsed.args;
}

describe('bench args', () => {
  it('has defaults for an 8-page live run of the sample stream', () => {
    expect(args([])).toMatchObject({
      pages: 8,
      nodePeers: 0,
      mode: 'live',
      durationS: 120,
      staggerS: 3,
      churn: 0,
      p2p: true,
      compare: false,
      stream: { kind: 'local', name: 'sample' },
    });
  });

  it('parses the issue command line', () => {
    const a = args([
      '--peers',
      '4',
      '--mode',
      'vod',
      '--duration',
      '60',
      '--stagger',
      '1.5',
      '--no-p2p',
      '--churn',
      '0.25',
      '--out',
      '/tmp/x',
    ]);
    expect(a).toMatchObject({ pages: 4, mode: 'vod', durationS: 60, staggerS: 1.5, p2p: false, churn: 0.25, outDir: '/tmp/x' });
  });

  it("--cpu-throttle slows pages only, and --https serves the bench's own origin only", () => {
    expect(args([])).toMatchObject({ cpuThrottle: 1, https: false });
    expect(args(['--peers', '4', '--cpu-throttle', '4', '--compare', '--startup-probes', '3', '--https'])).toMatchObject({
      pages: 4,
      cpuThrottle: 4,
      compare: true,
      startupProbes: 3,
      https: true,
    });
    expect(args(['--cpu-throttle', '2.5']).cpuThrottle).toBe(2.5);
    expect(() => args(['--cpu-throttle', '0.5'])).toThrow(/--cpu-throttle must be a number from 1 to 20/);
    expect(() => args(['--cpu-throttle', 'x4'])).toThrow(ArgsError);
    expect(() => args(['--node-peers', '10', '--cpu-throttle', '4'])).toThrow(/add --peers/);
    expect(() => args(['--https', '--stream', 'http://127.0.0.1:8080/live/x/master.m3u8'])).toThrow(/--https/);
    expect(() => args(['--ci', '--cpu-throttle', '4'])).toThrow(/drop --cpu-throttle/);
    expect(() => args(['--node-peers', '3', '--https'])).toThrow(/--https is for Chromium pages/);
  });

  it("--live-window sets the bench origin's live playlist length", () => {
    expect(args([]).liveWindow).toBe(6);
    expect(args(['--live-window', '10']).liveWindow).toBe(10);
    expect(() => args(['--live-window', '2'])).toThrow(/from 3 to 60/);
    expect(() => args(['--live-window', '10', '--stream', 'http://127.0.0.1:8080/live/x/master.m3u8'])).toThrow(/--live-window/);
  });

  it('node peers alone default to no pages', () => {
    expect(args(['--node-peers', '50'])).toMatchObject({ pages: 0, nodePeers: 50, nodeLevel: 'top' });
    expect(args(['--node-peers', '5', '--peers', '2', '--node-level', '0'])).toMatchObject({ pages: 2, nodePeers: 5, nodeLevel: 0 });
  });

  it('accepts loopback URLs only', () => {
    expect(args(['--stream', 'http://127.0.0.1:8080/live/x/master.m3u8', '--tracker', 'ws://localhost:8000']).stream).toEqual({
      kind: 'url',
      url: 'http://127.0.0.1:8080/live/x/master.m3u8',
    });
    expect(() => args(['--stream', 'http://example.com/x.m3u8'])).toThrow(/this machine/);
    expect(() => args(['--tracker', 'wss://tracker.example.com'])).toThrow(ArgsError);
    expect(isLoopbackHost('127.3.2.1')).toBe(true);
    expect(isLoopbackHost('192.168.0.1')).toBe(false);
  });

  it('rejects out-of-range or malformed values with the flag named', () => {
    expect(() => args(['--peers', '40'])).toThrow(/--peers/);
    expect(() => args(['--duration', 'abc'])).toThrow(/--duration/);
    expect(() => args(['--churn', '1.5'])).toThrow(/--churn/);
    expect(() => args(['--mode', 'dvr'])).toThrow(/--mode/);
    expect(() => args(['--shoal-config', '[1]'])).toThrow(/JSON object/);
    expect(() => args(['--stream', '../etc'])).toThrow(/--stream/);
    expect(() => args(['--peers', '0'])).toThrow(/nothing to run/);
    expect(() => args(['--bogus'])).toThrow(ArgsError);
  });

  it('--ci is a fixed workload', () => {
    expect(args(['--ci'])).toMatchObject({ ci: true, pages: 3, mode: 'live', durationS: 40 });
    expect(() => args(['--ci', '--peers', '8'])).toThrow(/--ci runs a fixed workload/);
  });

  it('--help describes every flag', () => {
    expect(parseBenchArgs(['--help'])).toEqual({ help: true });
    for (const flag of [
      '--peers',
      '--node-peers',
      '--node-workers',
      '--node-level',
      '--mode',
      '--duration',
      '--stagger',
      '--churn',
      '--no-p2p',
      '--compare',
      '--stream',
      '--media',
      '--tracker',
      '--shoal-config',
      '--hls-config',
      '--out',
      '--ci',
      '--help',
    ]) {
      expect(HELP).toContain(flag);
    }
  });
});
