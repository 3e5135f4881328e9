/**
 * Shoal's peer wire protocol, version 1: the typed messages two viewers exchange over one
 * WebRTC data channel. Each data-channel message carries exactly one frame; the first byte
 * names the frame type, so segment bytes only ever travel inside a DATA frame and can never be
 * read as a command.
 */

export const PROTOCOL_MAGIC = 0x5348_4f4c; // "SHOL"
export const PROTOCOL_VERSION = 1;
/** Largest payload of one DATA frame. Data channels fragment larger messages badly. */
export const MAX_CHUNK_BYTES = 16 * 1024;
/** Largest number of segment entries in one HAVE / LOST / HAVE_RANGES frame. */
export const MAX_ENTRIES_PER_FRAME = 1024;
/** Upper bound on a segment's size that peers may claim or request (64 MiB). */
export const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

export enum FrameType {
  Handshake = 0x01,
  Have = 0x02,
  Lost = 0x03,
  HaveRanges = 0x04,
  Request = 0x10,
  Cancel = 0x11,
  Response = 0x12,
  Data = 0x13,
  Reject = 0x14,
}

/** A segment in a swarm: which rendition (track) and which media sequence number. */
export interface SegmentId {
  readonly track: number; // u16
  readonly seq: number; // u32
}

/** A run of consecutive sequence numbers held on one track. */
export interface SegmentRange {
  readonly track: number;
  readonly from: number;
  readonly count: number;
}

export interface HandshakeMessage {
  readonly type: FrameType.Handshake;
  readonly version: number;
  /** Whether this peer serves uploads at all; a peer that does not still downloads. */
  readonly uploads: boolean;
}

export interface HaveMessage {
  readonly type: FrameType.Have;
  readonly segments: readonly SegmentId[];
}

export interface LostMessage {
  readonly type: FrameType.Lost;
  readonly segments: readonly SegmentId[];
}

export interface HaveRangesMessage {
  readonly type: FrameType.HaveRanges;
  readonly ranges: readonly SegmentRange[];
}

/** Ask for bytes [offset, offset + length) of a segment, cut at its end; length 0 means "to the end". */
export interface RequestMessage {
  readonly type: FrameType.Request;
  readonly requestId: number; // u32
  readonly segment: SegmentId;
  readonly offset: number;
  readonly length: number;
}

export interface CancelMessage {
  readonly type: FrameType.Cancel;
  readonly requestId: number;
}

/** Accepts a request: DATA frames for [offset, offset + length) of a segment of totalSize follow. */
export interface ResponseMessage {
  readonly type: FrameType.Response;
  readonly requestId: number;
  readonly totalSize: number;
  readonly offset: number;
  readonly length: number;
}

export interface DataMessage {
  readonly type: FrameType.Data;
  readonly requestId: number;
  /** Offset of this chunk within the whole segment. */
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export enum RejectReason {
  NotFound = 1,
  Busy = 2,
  UploadDisabled = 3,
  BadRange = 4,
  /** The requester already had this segment's bytes as often as an honest viewer needs them. */
  RepeatLimit = 5,
}

export interface RejectMessage {
  readonly type: FrameType.Reject;
  readonly requestId: number;
  readonly reason: RejectReason;
}

export type PeerMessage =
  | HandshakeMessage
  | HaveMessage
  | LostMessage
  | HaveRangesMessage
  | RequestMessage
  | CancelMessage
  | ResponseMessage
  | DataMessage
  | RejectMessage;
