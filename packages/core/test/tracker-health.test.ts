import { describe, expect, it } from 'vitest';
import { TrackerHealth, type TrackerState } from '../src/adapters/tracker-health.js';

function recorder() {
  const changes: Array<[TrackerState, string | undefined]> = [];
  const health = new TrackerHealth((state, lastError) => changes.push([state, lastError]), 3);
  return { health, changes };
}

describe('TrackerHealth', () => {
  it('is unreachable after 3 failures in a row, once, naming the last error', () => {
    const { health, changes } = recorder();
    health.failed('Error connecting to ws://t');
    health.failed('Error connecting to ws://t');
    expect(health.state).toBe('connecting');
    health.failed('connection refused');
    health.failed('connection refused');
    expect(health.state).toBe('unreachable');
    expect(changes).toEqual([['unreachable', 'connection refused']]);
  });

  it('an answer resets the count and says connected; losing it again takes 3 more failures', () => {
    const { health, changes } = recorder();
    health.failed('a');
    health.failed('b');
    health.answered();
    health.answered();
    health.failed('c');
    health.failed('d');
    expect(health.state).toBe('connected');
    health.failed('e');
    expect(changes).toEqual([
      ['connected', undefined],
      ['unreachable', 'e'],
    ]);
  });
});

describe('TrackerDirectory tracker state', () => {
  it('a tracker that refuses the connection is unreachable at the first failed try', async () => {
    const { createServer } = await import('node:net');
    const { TrackerDirectory } = await import('../src/adapters/tracker-directory.js');
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));

    const url = `ws://127.0.0.1:${port}`;
    let directory: InstanceType<typeof TrackerDirectory> | undefined;
    const change = new Promise<[TrackerState, string | undefined]>((resolve) => {
      directory = new TrackerDirectory({
        trackerUrls: [url],
        peerId: 'aa'.repeat(20),
        onStateChange: (state, lastError) => resolve([state, lastError]),
      });
    });
    expect(directory!.state).toBe('connecting');
    directory!.join('bb'.repeat(20), () => undefined);
    try {
      expect(await change).toEqual(['unreachable', `Error connecting to ${url}`]);
      expect(directory!.state).toBe('unreachable');
    } finally {
      directory!.leave();
    }
  });
});
