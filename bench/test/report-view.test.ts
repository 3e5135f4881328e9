// What report.html shows: each viewer's errors named, empty charts and the VOD live-latency tile
// left out, memory lines readable on the white panels, and the page script bundled with these rules.
import { describe, expect, it } from 'vitest';
import { errorsCell, MEMORY_LINES, showsLiveLatency, showsStallsChart } from '../src/results/report-view.js';

/** WCAG contrast of a #rrggbb color against white. */
function contrastOnWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return 1.05 / (luminance + 0.05);
}

describe('report view', () => {
  it("names each viewer's errors: the count and the first one's text, escaped, all of them on hover", () => {
    expect(errorsCell({ fatalErrors: [], errors: [], errorCount: 0 })).toBe('0');
    const cell = errorsCell({ fatalErrors: [], errors: ['fragLoadError: 404 <seg-9.m4s>', 'second'], errorCount: 3 });
    expect(cell).toBe(
      '<span class="error" title="fragLoadError: 404 &#60;seg-9.m4s&#62;\nsecond">3 × fragLoadError: 404 &#60;seg-9.m4s&#62;</span>',
    );
    const long = errorsCell({ fatalErrors: [], errors: ['x'.repeat(500)], errorCount: 1 });
    expect(long).toContain(`1 × ${'x'.repeat(79)}…</span>`);
    expect(errorsCell({ fatalErrors: ['mediaError <b>'], errors: ['a'], errorCount: 1 })).toBe(
      '<span class="bad">mediaError &#60;b&#62;</span>',
    );
  });

  it('hides the stalls chart without stalls, and live latency for VOD', () => {
    const peer = { stalls: 0, stallMs: 0 };
    expect(showsStallsChart({ perPeer: [peer, peer] as never })).toBe(false);
    expect(showsStallsChart({ perPeer: [peer, { stalls: 1, stallMs: 400 }] as never })).toBe(true);
    expect(showsLiveLatency({ mode: 'vod', liveLatencyS: null })).toBe(false);
    expect(showsLiveLatency({ mode: 'live', liveLatencyS: null })).toBe(false);
    expect(showsLiveLatency({ mode: 'live', liveLatencyS: 6.2 })).toBe(true);
  });

  it('draws memory lines at least 2 px wide with 4.5:1 contrast on white, each line told apart', () => {
    const lines = Object.values(MEMORY_LINES);
    for (const line of lines) {
      expect(line.width).toBeGreaterThanOrEqual(2);
      expect(contrastOnWhite(line.color), line.color).toBeGreaterThanOrEqual(4.5);
    }
    expect(new Set(lines.map((l) => l.color)).size).toBe(lines.length);
    // The old colors (orange and blue at 1 px default) did not pass.
    expect(contrastOnWhite('#e67e22')).toBeLessThan(4.5);
  });
});
