/** The scripts a test or demo page loads as globals, found by package name. */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The drop-in Shoal bundle (window.Shoal, not minified), made by `npm run build`; may not exist yet. */
export const SHOAL_IIFE_PATH = path.join(path.dirname(require.resolve('@shoal/hlsjs/package.json')), 'dist', 'shoal-hlsjs.iife.js');

/** hls.js's browser build (window.Hls). */
export const HLS_SCRIPT_PATH = require.resolve('hls.js/dist/hls.min.js');

/** @shoal/shaka's drop-in bundle (window.Shoal for Shaka Player, not minified), made by `npm run build`. */
export const SHOAL_SHAKA_IIFE_PATH = path.join(path.dirname(require.resolve('@shoal/shaka/package.json')), 'dist', 'shoal-shaka.iife.js');

/** Shaka Player's browser build (window.shaka). */
export const SHAKA_SCRIPT_PATH = require.resolve('shaka-player/dist/shaka-player.compiled.js');
