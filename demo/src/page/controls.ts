/** What to play (mode, stream, P2P on/off), kept in the page URL so a second viewer opens the same. */
import type { Mode } from './config.js';

export interface Choice {
  mode: Mode;
  stream: string;
  p2p: boolean;
}

export function choiceFromUrl(streams: string[]): Choice {
  const q = new URLSearchParams(location.search);
  const stream = q.get('stream') ?? '';
  return {
    mode: q.get('mode') === 'live' ? 'live' : 'vod',
    stream: streams.includes(stream) ? stream : (streams[0] ?? 'sample'),
    p2p: q.get('p2p') !== '0',
  };
}

export function choiceUrl(choice: Choice): string {
  const url = new URL(location.href);
  url.search = '';
  url.searchParams.set('mode', choice.mode);
  url.searchParams.set('stream', choice.stream);
  if (!choice.p2p) url.searchParams.set('p2p', '0');
  return url.href;
}

/** Wires the form controls; `changed` runs with the new choice after each user change. */
export function bindControls(initial: Choice, streams: string[], changed: (choice: Choice) => void): void {
  const form = document.getElementById('controls') as HTMLFormElement;
  const streamSelect = form.elements.namedItem('stream') as HTMLSelectElement;
  streamSelect.replaceChildren(...streams.map((name) => new Option(name, name)));
  streamSelect.closest('label')!.hidden = streams.length < 2;

  (form.elements.namedItem(initial.mode) as HTMLInputElement).checked = true;
  (form.elements.namedItem('p2p') as HTMLInputElement).checked = initial.p2p;
  streamSelect.value = initial.stream;

  form.addEventListener('change', () => {
    const mode = (form.elements.namedItem('live') as HTMLInputElement).checked ? 'live' : 'vod';
    changed({ mode, stream: streamSelect.value, p2p: (form.elements.namedItem('p2p') as HTMLInputElement).checked });
  });
  form.addEventListener('submit', (event) => event.preventDefault());
}
