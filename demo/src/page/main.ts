/** The demo page: plays the chosen stream through Shoal and shows where every byte came from. */
import { manifestUrl, type DemoConfig } from './config.js';
import { bindControls, choiceFromUrl, choiceUrl, type Choice } from './controls.js';
import { createEventLog } from './event-log.js';
import { createRateChart } from './rate-chart.js';
import { createPeerTable } from './peer-table.js';
import { createPlaybackChart } from './playback-chart.js';
import { createSegmentLog } from './segment-log.js';
import { startSession, type Session } from './session.js';
import { renderOrigin, renderStats, resetStats } from './stats-panel.js';

const ORIGIN_POLL_MS = 2000;
/** How often the playback chart and the peer table are refreshed. */
const SAMPLE_MS = 1000;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo page: #${id} is missing`);
  return el as T;
}

async function main(): Promise<void> {
  const config = (await (await fetch('/config.json')).json()) as DemoConfig;
  const video = byId<HTMLVideoElement>('video');
  const chart = createRateChart(byId<HTMLCanvasElement>('rate-chart'));
  const segments = createSegmentLog(byId('segment-strip'), byId<HTMLTableSectionElement>('segment-rows'), byId('segment-empty'));
  const events = createEventLog(byId('events'));
  const playback = createPlaybackChart(byId<HTMLCanvasElement>('playback-chart'), (id, text) => (byId(id).textContent = text));
  const peers = createPeerTable(byId<HTMLTableSectionElement>('peer-rows'), byId('peer-empty'));
  byId<HTMLAnchorElement>('dashboard-link').href = `${config.trackerHttpUrl}/`;

  let session: Session | undefined;
  const play = (choice: Choice) => {
    session?.destroy();
    chart.reset();
    segments.reset();
    events.reset();
    playback.reset();
    peers.reset();
    resetStats();
    const url = choiceUrl(choice);
    history.replaceState(null, '', url);
    byId<HTMLAnchorElement>('second-viewer-link').href = url;
    byId('now-playing').textContent = `${choice.mode === 'live' ? 'LIVE' : 'VOD'} · ${choice.stream} · P2P ${choice.p2p ? 'on' : 'off'}`;
    document.body.dataset['p2p'] = choice.p2p ? 'on' : 'off';
    byId('report-note').textContent = choice.p2p
      ? 'this tab reports its numbers to the tracker every 2 s'
      : 'P2P off: HTTP only, nothing reported to the tracker';
    const manifest = manifestUrl(config, choice.mode, choice.stream);
    events.add('info', `loading ${manifest}`);
    session = startSession(
      video,
      {
        manifestUrl: manifest,
        swarmId: `shoal-demo/${choice.mode}/${choice.stream}`,
        trackerWsUrl: config.trackerWsUrl,
        statsUrl: `${config.trackerHttpUrl}/stats`,
        p2p: choice.p2p,
        live: choice.mode === 'live',
      },
      {
        stats: (s) => {
          renderStats(s);
          chart.push(s);
        },
        segment: (e) => segments.add(e),
        log: (kind, text) => events.add(kind, text),
      },
    );
    session.shoal.on('peer-disconnected', (e) => peers.left(e.peerId, e.code));
  };
  setInterval(() => {
    if (session === undefined) return;
    playback.push(session.sample());
    peers.render(session.shoal.peers());
  }, SAMPLE_MS);

  // A popup window, not a tab: Chromium pauses a muted video in a hidden tab, which stopped the
  // first viewer (and its uploads) as soon as the second tab took the front.
  const secondViewer = byId<HTMLAnchorElement>('second-viewer-link');
  secondViewer.addEventListener('click', (event) => {
    const width = Math.min(720, Math.round(screen.availWidth / 2));
    const opened = window.open(
      secondViewer.href,
      'shoal-second-viewer',
      `popup,width=${width},height=720,left=${screen.availWidth - width},top=40`,
    );
    if (opened) event.preventDefault(); // popup blocked: the link opens it as a tab instead
  });

  const initial = choiceFromUrl(config.streams);
  bindControls(initial, config.streams, play);
  byId('restart').addEventListener('click', () => play(choiceFromUrl(config.streams)));
  play(initial);

  const pollOrigin = async () => {
    try {
      const o = (await (await fetch('/origin-stats.json')).json()) as { requests: number; segmentBytes: number };
      renderOrigin(o.segmentBytes, o.requests);
    } catch {
      // The demo server went away; the cards keep their last values.
    }
  };
  void pollOrigin();
  setInterval(() => void pollOrigin(), ORIGIN_POLL_MS);
}

main().catch((error: unknown) => {
  const banner = document.getElementById('fatal');
  if (banner) {
    banner.hidden = false;
    banner.textContent = `The demo could not start: ${error instanceof Error ? error.message : String(error)}`;
  }
  console.error(error);
});
