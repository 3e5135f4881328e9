/**
 * Node WebRTC for bittorrent-tracker's client (see ../node/): its `webrtc-polyfill` import
 * resolves to @roamhq/wrtc. For a child process: `node --import <NODE_WEBRTC_REGISTER>`; for
 * vite/vitest: alias `webrtc-polyfill` to NODE_WEBRTC_POLYFILL.
 */
import { fileURLToPath } from 'node:url';

/** URL of the module that registers the resolve hook (for `--import`). */
export const NODE_WEBRTC_REGISTER = new URL('../node/register.js', import.meta.url).href;
/** Path of the stand-in module for `webrtc-polyfill`. */
export const NODE_WEBRTC_POLYFILL = fileURLToPath(new URL('../node/webrtc-polyfill.js', import.meta.url));
