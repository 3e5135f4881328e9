/**
 * Why things happened to peers and their bytes, as stable codes an app can switch on; each event
 * that carries one also carries a `detail` string for logs (its wording may change).
 */

/**
 * Why a peer was cut off and banned ('false-claim': what it said about a segment proved untrue;
 * 'unreliable': it failed its first request, or too many).
 */
export type MisbehaviorCode =
  'malformed-frame' | 'protocol-violation' | 'absurd-availability' | 'over-budget' | 'false-claim' | 'unreliable';

/**
 * Why a peer connection ended:
 * - transport-closed: the connection closed or failed (the other side left, ICE failed);
 * - send-failed: a frame could not be sent;
 * - banned: we cut it off for what it did (see `peer-misbehaved` / `segment-corrupted`);
 * - duplicate: a second connection to the same viewer won the race;
 * - shutdown: the engine was destroyed.
 */
export type DisconnectCode = 'transport-closed' | 'send-failed' | 'banned' | 'duplicate' | 'shutdown';

/**
 * Why peer bytes were thrown away without blaming anyone (`peer-bytes-dropped`):
 * - size-dispute: peers disagreed on the segment's size, nothing says who is right;
 * - completion-failed: fetching the rest over HTTP failed (e.g. the size a peer claimed was wrong);
 * - unverifiable: the hash manifest does not list the segment (yet);
 * - verification-error: the verifier itself failed.
 */
export type DropCode = 'size-dispute' | 'completion-failed' | 'unverifiable' | 'verification-error';
