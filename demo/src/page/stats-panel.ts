/** The number cards: what this tab downloaded, from where, what it gave back, and how it played. */
import { formatBytes, formatMs, formatPercent, shortPeerId } from './format.js';
import type { ShoalLiveStats } from './globals.js';

function set(id: string, text: string, raw?: number): void {
  const el = document.getElementById(id);
  if (!el) return;
  if (el.textContent !== text) el.textContent = text;
  if (raw !== undefined) el.dataset['value'] = String(raw);
}

export function renderStats(s: ShoalLiveStats): void {
  const total = s.httpBytes + s.p2pBytes;
  set('stat-offload', total > 0 ? formatPercent(s.offload) : '—', s.offload);
  document.getElementById('stat-offload')?.classList.toggle('zero', s.p2pBytes === 0);
  const bar = document.getElementById('offload-bar');
  if (bar) bar.style.width = `${Math.round(s.offload * 100)}%`;
  set('stat-offload-sub', total > 0 ? `${formatBytes(s.p2pBytes)} of ${formatBytes(total)} from peers` : 'no segments yet');

  set('stat-http', formatBytes(s.httpBytes), s.httpBytes);
  set('stat-http-sub', plural(s.segmentsFromHttp, 'segment'));
  set('stat-p2p', formatBytes(s.p2pBytes), s.p2pBytes);
  set('stat-p2p-sub', `${plural(s.segmentsFromPeers, 'segment')}${s.segmentsFromCache ? ` · ${s.segmentsFromCache} from cache` : ''}`);
  set('stat-upload', formatBytes(s.uploadBytes), s.uploadBytes);
  set('stat-upload-sub', s.rejectedBytes > 0 ? `${formatBytes(s.rejectedBytes)} received & rejected` : 'to other viewers');

  set('stat-peers', String(s.peers), s.peers);
  set('stat-startup', formatMs(s.startupMs), s.startupMs ?? -1);
  set('stat-startup-sub', s.startupMs === undefined ? 'waiting for first frame' : 'to first frame');
  set('stat-stalls', String(s.stalls), s.stalls);
  set('stat-stalls-sub', `${formatMs(s.stallMs)} stalled · ${formatMs(s.playingMs)} played`);

  set('peer-id', shortPeerId(s.peerId));
  set('swarm-id', s.swarm ? s.swarm.slice(0, 12) : '—');
}

export function resetStats(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-reset]')) {
    el.textContent = el.dataset['reset'] ?? '—';
    delete el.dataset['value'];
  }
  const bar = document.getElementById('offload-bar');
  if (bar) bar.style.width = '0%';
}

/** The origin's own total, over every tab: the cost P2P takes off the CDN bill. */
export function renderOrigin(segmentBytes: number, requests: number): void {
  set('stat-origin', formatBytes(segmentBytes), segmentBytes);
  set('stat-origin-sub', `${plural(requests, 'request')}, all tabs`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
