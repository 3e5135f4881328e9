/** A short, newest-first list of what happened: peers joining and leaving, renditions, errors. */
import { formatClock } from './format.js';

const MAX = 40;

export type EventKind = 'peer' | 'info' | 'warn' | 'error';

export interface EventLog {
  add(kind: EventKind, text: string): void;
  reset(): void;
}

export function createEventLog(list: HTMLElement): EventLog {
  return {
    add(kind, text) {
      const item = document.createElement('li');
      item.className = `event ev-${kind}`;
      const time = document.createElement('time');
      time.textContent = formatClock(new Date());
      item.append(time, document.createTextNode(text));
      list.prepend(item);
      while (list.childElementCount > MAX) list.lastElementChild?.remove();
      if (kind === 'error' || kind === 'warn') console.warn(`[demo] ${text}`);
    },
    reset() {
      list.replaceChildren();
    },
  };
}
