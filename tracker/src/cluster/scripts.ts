/**
 * Redis layout of the shared membership, and the Lua scripts that change it atomically (a check
 * and the write that depends on it must not interleave with another node's).
 *
 * Per swarm (hex info_hash H), keys hash-tagged on H so a Redis Cluster keeps them together:
 *   <p>s:{H}:m  sorted set  peer_id hex -> expiry (ms, Redis clock)
 *   <p>s:{H}:c  sorted set  the complete peers among them, same expiry
 *   <p>s:{H}:o  hash        peer_id hex -> node id holding its WebSocket
 *   <p>s:{H}:t  hash        peer_id hex -> when that node's claim on it was first written
 *                           (ms, Redis clock): the older claim keeps the peer_id (see below)
 * Cluster-wide: <p>swarms (sorted set H -> expiry), <p>nodes (node id -> expiry),
 * <p>stats:<node> (a node's stats snapshot, with TTL), channel <p>node:<node> (its inbox).
 * Times come from Redis's TIME, so nodes' clocks need not agree. Expired entries are removed as
 * they are met (at most EXPIRED_BATCH per call, so a call stays short) and whole swarm keys
 * expire when nobody refreshes them.
 *
 * Ownership: while Redis is away each node admits peers on its own, so after an empty Redis
 * restart two nodes may both hold one peer_id, and whichever refreshed first used to keep it. Now
 * each node remembers, per member, when Redis first recorded its claim (0: never, it joined while
 * Redis was away) and sends that along; a claim recorded earlier beats one recorded later or
 * never, whatever order the nodes come back in. The loser is told (refresh returns it) and drops
 * its member.
 */
import type { Redis } from 'ioredis';

export interface Keys {
  readonly m: string;
  readonly c: string;
  readonly o: string;
  readonly t: string;
}

export function swarmKeys(prefix: string, ihHex: string): Keys {
  const base = `${prefix}s:{${ihHex}}:`;
  return { m: `${base}m`, c: `${base}c`, o: `${base}o`, t: `${base}t` };
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const PURGE = `local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 500)
if #gone > 0 then
  redis.call('ZREM', KEYS[1], unpack(gone))
  redis.call('ZREM', KEYS[2], unpack(gone))
  redis.call('HDEL', KEYS[3], unpack(gone))
  redis.call('HDEL', KEYS[4], unpack(gone))
end`;

/** Writes p as this node's with its claim time `claim`; leaves `c` = the claim time kept. */
const SET_PEER = `local c = claim
if redis.call('HGET', KEYS[3], p) == node then c = tonumber(redis.call('HGET', KEYS[4], p)) or claim end
redis.call('HSET', KEYS[4], p, c)
redis.call('ZADD', KEYS[1], exp, p)
redis.call('HSET', KEYS[3], p, node)
if done == '1' then redis.call('ZADD', KEYS[2], exp, p) else redis.call('ZREM', KEYS[2], p) end`;

const KEEP = `for k = 1, 4 do redis.call('PEXPIRE', KEYS[k], ttl * 2) end
redis.call('ZADD', KEYS[5], exp, ih)`;

/**
 * yieldsTo(p, mine): true when p is held, unexpired, by another node whose claim is not younger
 * than ours (mine: when Redis first recorded our claim, 0 if it never did).
 */
const YIELDS_TO = `local function yieldsTo(p, mine)
  local owner = redis.call('HGET', KEYS[3], p)
  if not owner or owner == node then return false end
  local sc = redis.call('ZSCORE', KEYS[1], p)
  if sc == false or tonumber(sc) <= now then return false end
  local theirs = tonumber(redis.call('HGET', KEYS[4], p)) or now
  return mine <= 0 or mine >= theirs
end`;

/**
 * KEYS m c o t swarms; ARGV peer node ttl complete(0/1) maxPeers n ih claim(0: none yet)
 * -> {'taken'} | {'full'} | {'ok', total, complete, claim, peer1, node1, peer2, node2, ...}: the
 * claim time kept for the peer, and up to 2n candidates, of which the node offers n (those the
 * announcer has not met recently first)
 */
const ANNOUNCE = `${NOW}
local p, node, ttl, done, max, n, ih = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local mine = tonumber(ARGV[8])
local claim = mine > 0 and mine or now
local exp = now + ttl
${PURGE}
${YIELDS_TO}
if yieldsTo(p, mine) then return {'taken'} end
if redis.call('ZSCORE', KEYS[1], p) == false and redis.call('ZCARD', KEYS[1]) >= max then return {'full'} end
${SET_PEER}
${KEEP}
local out = {'ok', redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), c}
if n > 0 then
  local picks = redis.call('ZRANDMEMBER', KEYS[1], 2 * n + 1)
  for _, q in ipairs(picks) do
    if q ~= p and #out < 4 + 4 * n then
      local owner = redis.call('HGET', KEYS[3], q)
      if owner then
        out[#out + 1] = q
        out[#out + 1] = owner
      end
    end
  end
end
return out`;

/**
 * KEYS m c o t swarms; ARGV node ttl ih, then triples peer complete(0/1) claim(0: none yet).
 * Re-registers a node's peers -> {lost, kept}: lost lists the peers another node holds with an
 * older claim (this node must drop them), kept pairs each other peer with its claim time.
 */
const REFRESH = `${NOW}
local node, ttl, ih = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local exp = now + ttl
${PURGE}
${YIELDS_TO}
local lost, kept = {}, {}
for i = 4, #ARGV - 2, 3 do
  local p, done, mine = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local claim = mine > 0 and mine or now
  if yieldsTo(p, mine) then
    lost[#lost + 1] = p
  else
    ${SET_PEER}
    kept[#kept + 1] = p
    kept[#kept + 1] = c
  end
end
${KEEP}
return {lost, kept}`;

/** KEYS m c o t; ARGV peer node. Removes the peer only if this node holds it. */
const LEAVE = `if redis.call('HGET', KEYS[3], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('HDEL', KEYS[4], ARGV[1])
end
return 0`;

/** KEYS m c; -> {members, complete} not expired. */
const COUNTS = `${NOW}
return {redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf'), redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')}`;

/** Redis with the scripts above as commands (EVALSHA, loaded on first use). */
export interface ScriptedRedis extends Redis {
  shoalAnnounce(m: string, c: string, o: string, t: string, swarms: string, ...args: (string | number)[]): Promise<(string | number)[]>;
  shoalRefresh(
    m: string,
    c: string,
    o: string,
    t: string,
    swarms: string,
    ...args: (string | number)[]
  ): Promise<[lost: string[], kept: (string | number)[]]>;
  shoalLeave(m: string, c: string, o: string, t: string, peer: string, node: string): Promise<number>;
  shoalCounts(m: string, c: string): Promise<[number, number]>;
}

export function defineScripts(r: Redis): ScriptedRedis {
  r.defineCommand('shoalAnnounce', { numberOfKeys: 5, lua: ANNOUNCE });
  r.defineCommand('shoalRefresh', { numberOfKeys: 5, lua: REFRESH });
  r.defineCommand('shoalLeave', { numberOfKeys: 4, lua: LEAVE });
  r.defineCommand('shoalCounts', { numberOfKeys: 2, lua: COUNTS });
  return r as ScriptedRedis;
}
