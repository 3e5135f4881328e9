/** The tiny page every bundler builds: hls.js + Shoal from the installed tarballs, nothing else. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the page reads back to the test (window.shoalPage). */
export interface PageState {
  httpBytes: number;
  p2pBytes: number;
  peers: number;
  tracker: string;
  videoTime: number;
  warnings: string[];
  errors: string[];
}

const MAIN = `import Hls from 'hls.js';
import { Shoal } from '@shoal/hlsjs';

const params = new URLSearchParams(location.search);
const warnings = [];
const errors = [];
const shoal = new Shoal({ trackerUrls: [params.get('tracker')], swarmId: params.get('swarm') });
shoal.on('warning', ({ message }) => warnings.push(message));
const hls = new Hls(shoal.hlsConfig());
hls.on(Hls.Events.ERROR, (_event, data) => { if (data.fatal) errors.push(data.details); });
shoal.attach(hls);
const video = document.querySelector('video');
hls.loadSource(params.get('src'));
hls.attachMedia(video);
window.shoalPage = () => {
  const s = shoal.stats();
  return { httpBytes: s.httpBytes, p2pBytes: s.p2pBytes, peers: s.peers, tracker: s.tracker, videoTime: video.currentTime, warnings, errors };
};
`;

export const pageHtml = (script: string | undefined) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Shoal packaging check</title></head>
<body><video muted autoplay playsinline></video>${script ? `<script type="module" src="${script}"></script>` : ''}</body></html>
`;

/** Writes src/main.js (and index.html for Vite) into the app folder; returns the entry path. */
export function writeAppSources(appDir: string): string {
  const src = path.join(appDir, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'main.js'), MAIN);
  writeFileSync(path.join(appDir, 'index.html'), pageHtml('/src/main.js'));
  return path.join(src, 'main.js');
}
