/**
 * Recent segments: a strip of coloured tiles (one per segment) and a table of the latest ones,
 * each with why it came from where it came from (why.ts).
 */
import { formatBytes, formatClock, formatMs } from './format.js';
import type { SegmentLoaded } from './globals.js';
import { explainSegment } from './why.js';

const STRIP_MAX = 48;
const TABLE_MAX = 12;

const SOURCE_LABEL: Record<SegmentLoaded['source'], string> = {
  http: 'HTTP',
  p2p: 'P2P',
  mixed: 'P2P + HTTP',
  cache: 'cache',
};

export interface SegmentLog {
  add(event: SegmentLoaded): void;
  reset(): void;
}

export function createSegmentLog(strip: HTMLElement, table: HTMLTableSectionElement, empty: HTMLElement): SegmentLog {
  return {
    add(e) {
      empty.hidden = true;
      const bytes = e.httpBytes + e.p2pBytes;
      const tile = document.createElement('span');
      tile.className = `tile src-${e.source}`;
      tile.textContent = String(e.id.seq);
      const why = explainSegment(e);
      tile.title = `segment ${e.id.seq} (rendition ${e.id.track}): ${SOURCE_LABEL[e.source]}, ${formatBytes(bytes)} in ${formatMs(e.ms)}: ${why}`;
      strip.append(tile);
      while (strip.childElementCount > STRIP_MAX) strip.firstElementChild?.remove();

      const row = table.insertRow(0);
      row.className = `src-${e.source}`;
      cell(row, formatClock(new Date()), 'muted opt');
      cell(row, `#${e.id.seq}`);
      cell(row, `v${e.id.track}`, 'muted');
      const badge = document.createElement('span');
      badge.className = `badge src-${e.source}`;
      badge.textContent = SOURCE_LABEL[e.source];
      row.insertCell().append(badge);
      cell(row, e.source === 'mixed' ? `${formatBytes(e.p2pBytes)} + ${formatBytes(e.httpBytes)}` : formatBytes(bytes), 'num');
      cell(row, formatMs(e.ms), 'num');
      cell(row, why, 'why');
      while (table.rows.length > TABLE_MAX) table.deleteRow(-1);
    },
    reset() {
      strip.replaceChildren();
      table.replaceChildren();
      empty.hidden = false;
    },
  };
}

function cell(row: HTMLTableRowElement, text: string, className?: string): void {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
}
