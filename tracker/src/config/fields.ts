/**
 * Every tracker setting, its default, bounds and help text. The CLI's --help, the env var names,
 * the config-file keys and validation are all generated from this one table.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TrackerConfig {
  host: string;
  port: number;
  intervalSec: number;
  minIntervalSec: number;
  maxMessageBytes: number;
  maxFramesPerMessage: number;
  maxChunksPerFrame: number;
  messageTimeoutMs: number;
  maxOffersPerAnnounce: number;
  maxPeersReturned: number;
  maxPeersPerSwarm: number;
  maxSwarms: number;
  maxConnections: number;
  maxConnectionsPerIp: number;
  maxSwarmsPerConnection: number;
  messagesPerSecond: number;
  messageBurst: number;
  offerTtlMs: number;
  maxPendingOffersPerPeer: number;
  maxOffersPerTargetPerSecond: number;
  offerBurstPerTarget: number;
  peerTimeoutMs: number;
  idleTimeoutMs: number;
  maxBufferedBytes: number;
  maxScrapeHashes: number;
  allowedOrigins: string[];
  tokenSecrets: string[];
  trustProxy: boolean;
  trustedProxies: string[];
  statsIntervalMs: number;
  statsHistory: number;
  statsMemberGraceMs: number;
  statsMaxBytesPerSecond: number;
  statsMaxSessions: number;
  statsMaxSessionsPerIp: number;
  statsMaxSwarms: number;
  egressCostPerGb: number;
  egressCurrency: string;
  tlsCert: string;
  tlsKey: string;
  logLevel: LogLevel;
  stateFile: string;
  shutdownGraceMs: number;
  redis: string;
  redisPrefix: string;
  nodeId: string;
  clusterPeerTtlMs: number;
}

interface Base {
  readonly help: string;
}
export interface IntSpec extends Base {
  readonly kind: 'int';
  readonly def: number;
  readonly min: number;
  readonly max: number;
}
/** A decimal number (an integer field is IntSpec). */
export interface NumSpec extends Base {
  readonly kind: 'number';
  readonly def: number;
  readonly min: number;
  readonly max: number;
}
export interface BoolSpec extends Base {
  readonly kind: 'bool';
  readonly def: boolean;
}
export interface StringSpec extends Base {
  readonly kind: 'string';
  readonly def: string;
}
export interface ListSpec extends Base {
  readonly kind: 'list';
  readonly def: readonly string[];
}
export interface EnumSpec extends Base {
  readonly kind: 'enum';
  readonly def: string;
  readonly values: readonly string[];
}
export type FieldSpec = IntSpec | NumSpec | BoolSpec | StringSpec | ListSpec | EnumSpec;

type SpecFor<T> = T extends number
  ? IntSpec | NumSpec
  : T extends boolean
    ? BoolSpec
    : T extends string[]
      ? ListSpec
      : T extends LogLevel
        ? EnumSpec | StringSpec
        : StringSpec;

const int = (def: number, min: number, max: number, help: string): IntSpec => ({ kind: 'int', def, min, max, help });
const K = 1024;
const BIG = 2 ** 31 - 1;

export const FIELDS: { readonly [F in keyof TrackerConfig]: SpecFor<TrackerConfig[F]> } = {
  host: { kind: 'string', def: '127.0.0.1', help: 'Address to listen on (0.0.0.0 for all interfaces).' },
  port: int(8000, 0, 65535, 'TCP port for WebSocket and HTTP (0 picks a free port).'),
  intervalSec: int(120, 5, 86_400, 'Re-announce interval told to clients (seconds).'),
  minIntervalSec: int(60, 1, 86_400, "'min interval' told to clients (seconds)."),
  maxMessageBytes: int(64 * K, 1 * K, 16 * K * K, 'Largest WebSocket message accepted; larger closes the socket (1009).'),
  maxFramesPerMessage: int(
    64,
    1,
    16 * K,
    'Most frames (fragments, empty ones too) one WebSocket message may span; more closes the socket (1008).',
  ),
  maxChunksPerFrame: int(
    1024,
    16,
    256 * K,
    'Most socket reads one WebSocket frame may arrive in (each is held until the frame is whole); more closes the socket (1008).',
  ),
  messageTimeoutMs: int(
    15_000,
    100,
    600_000,
    'A WebSocket frame, and a message fragmented over frames, must arrive whole within this long of its first byte; else the socket is closed (1008) (ms).',
  ),
  maxOffersPerAnnounce: int(10, 1, 100, "Most offers one announce may carry; more gets a 'failure reason'."),
  maxPeersReturned: int(10, 1, 100, 'Most peers one announce is relayed to (numwant is capped to this).'),
  maxPeersPerSwarm: int(2000, 1, 1_000_000, "Most peers in one swarm; a newcomer beyond it gets 'failure reason'."),
  maxSwarms: int(100_000, 1, 10_000_000, 'Most swarms alive at once.'),
  maxConnections: int(100_000, 1, 10_000_000, 'Most WebSocket connections at once; beyond it upgrades get 503.'),
  maxConnectionsPerIp: int(100, 1, 10_000_000, 'Most WebSocket connections from one IP address; beyond it upgrades get 429.'),
  maxSwarmsPerConnection: int(10, 1, 10_000, 'Most swarm memberships (info_hash, peer_id) one connection may hold.'),
  messagesPerSecond: int(20, 1, 1_000_000, 'Sustained messages per second per connection (token bucket rate).'),
  messageBurst: int(
    60,
    1,
    1_000_000,
    'Burst size of the per-connection token bucket; a client that keeps flooding past it is disconnected.',
  ),
  offerTtlMs: int(50_000, 1000, 3_600_000, 'How long a relayed offer can be answered (ms).'),
  maxPendingOffersPerPeer: int(50, 1, 10_000, 'Unanswered offers remembered per receiving peer; the oldest is forgotten first.'),
  maxOffersPerTargetPerSecond: int(
    5,
    1,
    1_000_000,
    'Offers relayed to one peer per second, from all peers and nodes together (token bucket); beyond it offers to that peer are dropped.',
  ),
  offerBurstPerTarget: int(
    20,
    1,
    1_000_000,
    'Burst size of that per-peer bucket: offers one peer may receive at once (a viewer keeps about a dozen peer connections).',
  ),
  peerTimeoutMs: int(360_000, 1000, 86_400_000, 'A peer that has not announced for this long is dropped from its swarm (ms).'),
  idleTimeoutMs: int(
    60_000,
    1000,
    86_400_000,
    'A silent connection is pinged after this long and closed if still silent after as long again (ms).',
  ),
  maxBufferedBytes: int(1024 * K, 16 * K, BIG, 'Outgoing bytes queued for a slow reader before its socket is closed.'),
  maxScrapeHashes: int(32, 1, 10_000, "Most info_hashes in one scrape; a scrape without info_hash gets 'failure reason'."),
  allowedOrigins: {
    kind: 'list',
    def: [],
    help: "Origins allowed to connect (exact, e.g. https://video.example.com). Empty allows any. '*' allows any.",
  },
  tokenSecrets: {
    kind: 'list',
    def: [],
    help: 'HMAC secrets for join tokens. When set, joining a swarm needs a valid token (any listed secret verifies; list several to rotate).',
  },
  trustProxy: {
    kind: 'bool',
    def: false,
    help: 'Take the client IP from X-Forwarded-For, read from the right past trustedProxies (only behind a reverse proxy).',
  },
  trustedProxies: {
    kind: 'list',
    def: ['127.0.0.0/8', '::1/128'],
    help: 'With trustProxy: addresses or CIDRs of the reverse proxies in front; the client is the rightmost X-Forwarded-For entry not in this list.',
  },
  statsIntervalMs: int(10_000, 100, 3_600_000, 'Time-series resolution for the stats API and dashboard (ms).'),
  statsHistory: int(360, 2, 100_000, 'Points kept in the overall time series (per swarm: a sixth of it, at least 2).'),
  statsMemberGraceMs: int(300_000, 0, 86_400_000, 'How long after leaving a swarm a peer may still report stats (ms).'),
  statsMaxBytesPerSecond: int(
    12_500_000,
    1000,
    BIG,
    'Plausibility bound per byte counter: bytes per second of session time, and for all peer ids of one connection together, of its life (plus 10 s of slack; 1 s for peer bytes).',
  ),
  statsMaxSessions: int(
    200_000,
    1,
    100_000_000,
    'Viewer sessions whose last report is remembered; when full, a new one replaces an ended session (else one of its own address), or gets 503.',
  ),
  statsMaxSessionsPerIp: int(
    1000,
    1,
    100_000_000,
    'Sessions one IP address may hold in that table; its next one replaces its own least recently reported.',
  ),
  statsMaxSwarms: int(
    1000,
    1,
    1_000_000,
    'Swarms with their own stats series; beyond it the least recently active is dropped (its bytes stay in the totals).',
  ),
  egressCostPerGb: {
    kind: 'number',
    def: 0,
    min: 0,
    max: 1000,
    help: 'What the origin or CDN charges per GB (10^9 bytes) delivered; the dashboard and /metrics then show the money P2P saved (0: not shown).',
  },
  egressCurrency: {
    kind: 'string',
    def: 'USD',
    help: 'Currency of egressCostPerGb as shown on the dashboard and in /metrics (3 letters, e.g. USD, EUR).',
  },
  tlsCert: { kind: 'string', def: '', help: 'Path to a PEM certificate; with tlsKey the tracker serves wss:// and https://.' },
  tlsKey: { kind: 'string', def: '', help: 'Path to the PEM private key for tlsCert.' },
  logLevel: { kind: 'enum', def: 'info', values: LOG_LEVELS, help: 'pino log level.' },
  stateFile: { kind: 'string', def: '', help: 'JSON file where stats totals are saved at shutdown and loaded at start (empty: not kept).' },
  shutdownGraceMs: int(5000, 0, 600_000, 'On SIGTERM, time allowed for sockets and HTTP requests to finish (ms).'),
  redis: {
    kind: 'string',
    def: '',
    help: 'Redis URL (redis://[user:pass@]host:port[/db] or rediss://) that makes this tracker a node of a cluster sharing swarms through it. Empty: one tracker, in memory.',
  },
  redisPrefix: { kind: 'string', def: 'shoal:', help: 'Prefix of every Redis key and channel (separate clusters can share one Redis).' },
  nodeId: {
    kind: 'string',
    def: '',
    help: 'Name of this node in the cluster: letters, digits, . _ - (empty: hostname-pid-random, new at each start).',
  },
  clusterPeerTtlMs: int(
    0,
    0,
    86_400_000,
    "How long a node's peers stay in the shared membership without the node refreshing them, e.g. after it crashed (ms; 0: 1.5 x intervalSec).",
  ),
};

export type FieldName = keyof TrackerConfig;
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

export function defaultConfig(): TrackerConfig {
  const out: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    const spec: FieldSpec = FIELDS[name];
    out[name] = spec.kind === 'list' ? [...spec.def] : spec.def;
  }
  return out as unknown as TrackerConfig;
}

/** maxMessageBytes -> --max-message-bytes */
export function flagName(name: FieldName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** maxMessageBytes -> SHOAL_TRACKER_MAX_MESSAGE_BYTES */
export function envName(name: FieldName): string {
  return `SHOAL_TRACKER_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
