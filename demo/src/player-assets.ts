/**
 * The player example pages (/players/*): their HTML, each page's script bundled from
 * src/players/ with its player's npm package, and the players' style sheets and icons from
 * node_modules. Scripts are bundled on first request, not at start: video.js and Vidstack weigh
 * megabytes of source that `npm start` and the main page never need.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundlePage } from '@shoal/test-kit';
import type { Asset } from './assets.js';
import { demoRoot } from './paths.js';

/** The example pages, by file name (demo/public/players/<name>.html, demo/src/players/<name>.ts). */
export const PLAYER_PAGES = ['plyr', 'vidstack', 'videojs', 'clappr'] as const;
export type PlayerPage = (typeof PLAYER_PAGES)[number];

const require = createRequire(import.meta.url);
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
const publicPlayers = path.join(demoRoot, 'public', 'players');

/** Files served as they are: route -> [file, content type]. */
function files(): Map<string, [string, string]> {
  const routes = new Map<string, [string, string]>([
    ['/players/', [path.join(publicPlayers, 'index.html'), HTML]],
    ['/players/index.html', [path.join(publicPlayers, 'index.html'), HTML]],
    ['/players/players.css', [path.join(publicPlayers, 'players.css'), CSS]],
    ['/vendor/plyr.css', [require.resolve('plyr/dist/plyr.css'), CSS]],
    ['/vendor/plyr.svg', [path.join(path.dirname(require.resolve('plyr/dist/plyr.css')), 'plyr.svg'), 'image/svg+xml']],
    ['/vendor/video-js.css', [require.resolve('video.js/dist/video-js.css'), CSS]],
    ['/vendor/vidstack/theme.css', [require.resolve('vidstack/player/styles/default/theme.css'), CSS]],
    ['/vendor/vidstack/video.css', [require.resolve('vidstack/player/styles/default/layouts/video.css'), CSS]],
  ]);
  for (const name of PLAYER_PAGES) routes.set(`/players/${name}.html`, [path.join(publicPlayers, `${name}.html`), HTML]);
  return routes;
}

/** Looks a route up; undefined when it is not one of the player pages' files. Results are kept. */
export function createPlayerAssets(): (route: string) => Promise<Asset> | undefined {
  const routes = files();
  const cache = new Map<string, Promise<Asset>>();
  const bundles = new Map<PlayerPage, Promise<{ js: string; map: string }>>();
  const bundle = (name: PlayerPage) => {
    let made = bundles.get(name);
    if (!made) {
      made = bundlePage(path.join(demoRoot, 'src', 'players', `${name}.ts`), { name: `${name}.js` });
      bundles.set(name, made);
    }
    return made;
  };
  const load = (route: string): Promise<Asset> | undefined => {
    const file = routes.get(route);
    if (file) return readFile(file[0]).then((body) => ({ type: file[1], body }));
    const match = /^\/players\/([a-z]+)\.js(\.map)?$/.exec(route);
    const name = PLAYER_PAGES.find((p) => p === match?.[1]);
    if (!match || !name) return undefined;
    return bundle(name).then(({ js, map }) =>
      match[2] ? { type: 'application/json', body: Buffer.from(map) } : { type: JS, body: Buffer.from(js) },
    );
  };
  return (route) => {
    const kept = cache.get(route);
    if (kept) return kept;
    const loading = load(route);
    if (!loading) return undefined;
    // A failure is not kept: the next request tries again (after an npm install, say).
    loading.catch(() => cache.delete(route));
    cache.set(route, loading);
    return loading;
  };
}
