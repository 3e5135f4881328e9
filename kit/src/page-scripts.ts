/** The scripts a test or demo page loads as globals, found by package name. */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The drop-in Shoal bundle (window.Shoal, not minified), made by `npm run build`; may not exist yet. */
export const SHOAL_IIFE_PATH = path.join(path.dirname(require.resolve('@shoal/hlsjs/package.json')), 'dist', 'shoal-hlsjs.iife.js');

/** hls.js's browser build (window.Hls). */
export const HLS_SCRIPT_PATH = require.resolve('hls.js/dist/hls.min.js');
