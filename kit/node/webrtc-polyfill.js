// Stand-in for the `webrtc-polyfill` package under Node. bittorrent-tracker's client (through
// @thaunknown/simple-peer) imports `webrtc-polyfill`, whose Node build loads node-datachannel's
// native addon; that addon is never built here (its install script downloads from GitHub).
// @roamhq/wrtc ships a prebuilt binary from the npm registry, so Node peers use it instead.
// Browsers never see this file: bundles resolve `webrtc-polyfill` to its browser build.
import wrtc from '@roamhq/wrtc';

export const RTCPeerConnection = wrtc.RTCPeerConnection;
export const RTCSessionDescription = wrtc.RTCSessionDescription;
export const RTCIceCandidate = wrtc.RTCIceCandidate;
export const RTCDataChannel = wrtc.RTCDataChannel;
export const MediaStream = wrtc.MediaStream;
export default wrtc;
