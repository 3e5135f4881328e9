import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { bundlePage, HLS_SCRIPT_PATH, SHAKA_SCRIPT_PATH, SHOAL_IIFE_PATH, SHOAL_SHAKA_IIFE_PATH } from '@shoal/test-kit';

const JS = 'text/javascript';
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const FILES: Record<string, { path: string; type: string }> = {
  '/player.html': { path: here('./player.html'), type: 'text/html' },
  '/hls.min.js': { path: HLS_SCRIPT_PATH, type: JS },
  '/shoal-hlsjs.iife.js': { path: SHOAL_IIFE_PATH, type: JS },
  '/player-shaka.html': { path: here('./player-shaka.html'), type: 'text/html' },
  '/shaka-player.compiled.js': { path: SHAKA_SCRIPT_PATH, type: JS },
  '/shoal-shaka.iife.js': { path: SHOAL_SHAKA_IIFE_PATH, type: JS },
};
/** The page's own scripts (player/), bundled when the server starts; classic scripts, run in page order. */
const BUNDLES = [
  ['startup-probe.js', here('./player/startup-probe.ts')],
  ['player.js', here('./player/main.ts')],
  ['player-shaka.js', here('./player/shaka-main.ts')],
] as const;

export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the bare test player from a real http://127.0.0.1:PORT origin: WebRTC between pages
 * gathers no candidate on about:blank or file://.
 */
export async function startPageServer(port = 0): Promise<PageServer> {
  const bundled = new Map<string, { body: string; type: string }>();
  for (const [name, entry] of BUNDLES) {
    const { js, map } = await bundlePage(entry, { format: 'iife', name });
    bundled.set(`/${name}`, { body: js, type: JS });
    bundled.set(`/${name}.map`, { body: map, type: 'application/json' });
  }
  // Every failure inside is answered (500), so nothing is left to reject: the promise is dropped on purpose.
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const route = (req.url ?? '/').split('?')[0] ?? '/';
    const inMemory = bundled.get(route);
    if (inMemory) {
      res.writeHead(200, { 'Content-Type': inMemory.type, 'Cache-Control': 'no-store' }).end(inMemory.body);
      return;
    }
    const file = FILES[route];
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      const body = await readFile(file.path);
      res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(body);
    } catch (error) {
      res.writeHead(500).end(`cannot read ${file.path}: ${(error as Error).message}; run npm run build first`);
    }
  };
  const server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
