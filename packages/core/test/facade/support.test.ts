import { describe, expect, it } from 'vitest';
import { isSupported, supportReport } from '../../src/facade/support.js';

describe('isSupported', () => {
  class RTCPeerConnection {
    createDataChannel(): void {}
  }
  it('needs MediaSource (or ManagedMediaSource) and RTCPeerConnection with data channels', () => {
    expect(isSupported({ MediaSource: class {}, RTCPeerConnection })).toBe(true);
    expect(isSupported({ ManagedMediaSource: class {}, RTCPeerConnection })).toBe(true);
    expect(supportReport({ MediaSource: class {} })).toEqual({ mediaSource: true, webrtc: false });
    expect(supportReport({ RTCPeerConnection: class {}, MediaSource: class {} })).toEqual({ mediaSource: true, webrtc: false });
    expect(supportReport({ RTCPeerConnection })).toEqual({ mediaSource: false, webrtc: true });
  });
});
