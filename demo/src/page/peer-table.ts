/**
 * The per-peer table: every open connection of this tab (segment bytes each way, round trip from
 * a request to the peer's answer, state, how long it has been up), from `Shoal.peers()` once a
 * second, and the last few that left with the engine's code for why.
 */
import { formatBytes, formatMs, shortPeerId } from './format.js';
import type { PeerInfo } from './globals.js';

/** Departed peers kept in the table (newest first). */
const GONE_MAX = 4;

interface Gone {
  readonly peerId: string;
  readonly code: string;
  readonly last: PeerInfo | undefined;
}

export interface PeerTable {
  render(peers: readonly PeerInfo[]): void;
  left(peerId: string, code: string): void;
  reset(): void;
}

export function createPeerTable(body: HTMLTableSectionElement, empty: HTMLElement): PeerTable {
  const known = new Map<string, PeerInfo>();
  let gone: Gone[] = [];
  let open: readonly PeerInfo[] = [];

  const row = (p: PeerInfo | undefined, peerId: string, state: string) => {
    const tr = document.createElement('tr');
    tr.dataset['peer'] = peerId;
    tr.dataset['state'] = state;
    for (const [text, cls] of [
      [shortPeerId(peerId), 'mono'],
      [state, `state state-${state.split(' ')[0]}`],
      [p ? formatBytes(p.bytesIn) : '—', 'num'],
      [p ? formatBytes(p.bytesOut) : '—', 'num'],
      [p?.rttMs == null ? '—' : formatMs(p.rttMs), 'num'],
      [p ? formatMs(p.readyForMs) : '—', 'num opt'],
    ] as const) {
      const td = document.createElement('td');
      td.textContent = text;
      td.className = cls;
      tr.append(td);
    }
    return tr;
  };
  const draw = () => {
    empty.hidden = open.length + gone.length > 0;
    body.replaceChildren(...open.map((p) => row(p, p.peerId, p.state)), ...gone.map((g) => row(g.last, g.peerId, `left (${g.code})`)));
  };
  return {
    render(peers) {
      open = peers;
      for (const p of peers) known.set(p.peerId, p);
      draw();
    },
    left(peerId, code) {
      gone = [{ peerId, code, last: known.get(peerId) }, ...gone.filter((g) => g.peerId !== peerId)].slice(0, GONE_MAX);
      known.delete(peerId);
      open = open.filter((p) => p.peerId !== peerId);
      draw();
    },
    reset() {
      known.clear();
      gone = [];
      open = [];
      draw();
    },
  };
}
