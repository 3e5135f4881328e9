export {
  MANIFEST_FILE_NAME,
  MANIFEST_FORMAT,
  MANIFEST_LIMITS,
  MANIFEST_VERSION,
  formatByteRange,
  indexManifest,
  normalizeSegmentUrl,
  parseByteRange,
  parseManifest,
  segmentLookupKey,
  sha256Hex,
  toHex,
} from './manifest.js';
export type { ManifestParseResult, ManifestRendition, ManifestSegment, SegmentFingerprint, SegmentManifest } from './manifest.js';
export { ManifestVerifier, VERIFIER_OPTIONS } from './verifier.js';
export type { IntegrityEvent, IntegrityMode, ManifestVerifierOptions } from './verifier.js';
export { parseHlsPlaylist } from './playlist.js';
export type { HlsPlaylist, HlsMasterPlaylist, HlsMediaPlaylist, HlsMediaSegment } from './playlist.js';
