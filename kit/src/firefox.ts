import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import type { LaunchedBrowser } from './chromium.js';

const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

/** The system Firefox (Debian's firefox-esr): $FIREFOX_PATH if set, else the first of the usual places. */
export function findFirefox(): string {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`FIREFOX_PATH=${fromEnv} does not exist; point it at a Firefox binary or unset it`);
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error('No Firefox found: install one (Debian: `apt-get install firefox-esr`) or set FIREFOX_PATH to its binary');
  return found;
}

/** Preferences for headless pages that play media and open WebRTC data channels on loopback (Firefox's CHROMIUM_FLAGS). */
export const FIREFOX_PREFS: Readonly<Record<string, boolean | number>> = {
  // Muted autoplay without a user gesture.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // ICE gathers no candidate on 127.0.0.1 without the first; the others keep host candidates plain (no mDNS names).
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.peerconnection.ice.default_address_only': false,
  'media.navigator.permission.disabled': true,
  // Background tabs keep playing and uploading at full speed: Firefox clamps their timers to 1 s
  // (then to a budget), and a viewer whose upload pacing waits on them looks stalled to its peers.
  'dom.min_background_timeout_value': 4,
  'dom.min_background_timeout_value_without_budget_throttling': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
  'media.block-autoplay-until-in-foreground': false,
  // Firefox suspends decoding a hidden tab's video, which the page sees as a `waiting` stall.
  'media.suspend-bkgnd-video.enabled': false,
};

/** Launches headless Firefox through WebDriver BiDi (puppeteer's `browser: 'firefox'`), with FIREFOX_PREFS. */
export async function launchFirefox(): Promise<LaunchedBrowser> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS },
    protocolTimeout: 120_000,
  });
  return {
    browser,
    pid: browser.process()?.pid,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}
