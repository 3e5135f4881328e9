export * from './messages.js';
export { encodeMessage, decodeMessage, ProtocolError, MAX_FRAME_BYTES } from './codec.js';
export type { DecodeResult, ProtocolErrorCode } from './codec.js';
