import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HLS_SCRIPT_PATH, SHOAL_IIFE_PATH } from '@shoal/test-kit';

const FILES: Record<string, { path: string; type: string }> = {
  '/player.html': { path: fileURLToPath(new URL('./player.html', import.meta.url)), type: 'text/html' },
  '/hls.min.js': { path: HLS_SCRIPT_PATH, type: 'text/javascript' },
  '/shoal-hlsjs.iife.js': { path: SHOAL_IIFE_PATH, type: 'text/javascript' },
};

export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the bare test player from a real http://127.0.0.1:PORT origin: WebRTC between pages
 * gathers no candidate on about:blank or file://.
 */
export async function startPageServer(port = 0): Promise<PageServer> {
  const server = createServer(async (req, res) => {
    const file = FILES[(req.url ?? '/').split('?')[0] ?? '/'];
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
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
