// The playback monitor's timing samples for the stats reports, on a fake clock; the media element
// is an EventTarget the test fires the media events of.
import { describe, expect, it } from 'vitest';
import { PlaybackMonitor } from '../../src/facade/media-playhead.js';

describe('playback monitor samples', () => {
  it('reports the startup once (attach to first frame), then each stall when it ends; waiting before the first frame is startup', () => {
    let now = 1000;
    const samples: [string, number][] = [];
    const monitor = new PlaybackMonitor(
      () => now,
      (kind, ms) => samples.push([kind, ms]),
    );
    const media = new EventTarget();
    monitor.attach(media as HTMLMediaElement);
    const fire = (type: string, at: number) => {
      now = at;
      media.dispatchEvent(new Event(type));
    };
    fire('waiting', 1500);
    fire('playing', 2800);
    fire('waiting', 5000);
    fire('playing', 5600);
    fire('pause', 7000);
    fire('playing', 9000);
    expect(samples).toEqual([
      ['startupMs', 1800],
      ['stallMs', 600],
    ]);
    expect(monitor.snapshot()).toMatchObject({ stalls: 1, stallMs: 600 });
  });
});
