// `node --import @shoal/test-kit/node/register.js app.js` makes bittorrent-tracker's client usable
// in Node: every import of `webrtc-polyfill` resolves to ./webrtc-polyfill.js (@roamhq/wrtc).
import { register } from 'node:module';

register(new URL('./hooks.js', import.meta.url));
