import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The system Chromium/Chrome: $CHROME_PATH if set, else the first of the usual places. */
export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH ?? process.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH=${fromEnv} does not exist; point it at a Chromium/Chrome binary or unset it`);
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error('No Chromium/Chrome found: install one (Debian: `apt-get install chromium`) or set CHROME_PATH to its binary');
  }
  return found;
}

/** Flags for headless pages that play media and open WebRTC data channels on loopback. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  '--mute-audio',
  '--disable-dev-shm-usage',
  // Without these three, WebRTC between pages on 127.0.0.1 gathers no ICE candidate.
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  // Background tabs must keep playing at full speed.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export interface LaunchedBrowser {
  readonly browser: Browser;
  /** The browser process id (its renderers are its descendants). */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

/** Launches headless Chromium with CHROMIUM_FLAGS, plus `extraArgs` when given. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'shoal-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless: true,
    userDataDir,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
    protocolTimeout: 120_000,
  });
  return {
    browser,
    pid: browser.process()?.pid,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
