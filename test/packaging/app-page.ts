/** The tiny page every bundler builds: hls.js + Shoal from the installed tarballs, nothing else. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
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

/** The same page from the published drop-in files: classic <script> tags, window.Hls and window.Shoal. */
// In a block: the drop-in files declare the globals Hls and Shoal, which a top-level const would clash with.
const DROP_IN_MAIN = `{\n${MAIN.replace("import Hls from 'hls.js';\nimport { Shoal } from '@shoal/hlsjs';\n", 'const { Hls } = window;\nconst { Shoal } = window.Shoal;\n')}}\n`;

/** Copies hls.min.js and shoal-hlsjs.min.js from the installed packages next to a page that loads them. */
export function writeDropInPage(appDir: string, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const modules = path.join(appDir, 'node_modules');
  copyFileSync(path.join(modules, 'hls.js', 'dist', 'hls.min.js'), path.join(outDir, 'hls.min.js'));
  copyFileSync(path.join(modules, '@shoal', 'hlsjs', 'dist', 'shoal-hlsjs.min.js'), path.join(outDir, 'shoal-hlsjs.min.js'));
  writeFileSync(path.join(outDir, 'main.js'), DROP_IN_MAIN);
  const scripts = ['hls.min.js', 'shoal-hlsjs.min.js', 'main.js'].map((src) => `<script src="${src}"></script>`).join('');
  writeFileSync(path.join(outDir, 'index.html'), pageHtml(undefined).replace('</body>', `${scripts}</body>`));
}
