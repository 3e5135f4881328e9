/**
 * Redis layout of the shared membership, and the Lua scripts that change it atomically (a check
 * and the write that depends on it must not interleave with another node's).
 *
 * Per swarm (hex info_hash H), keys hash-tagged on H so a Redis Cluster keeps them together:
 *   <p>s:{H}:m  sorted set  peer_id hex -> expiry (ms, Redis clock)
 *   <p>s:{H}:c  sorted set  the complete peers among them, same expiry
 *   <p>s:{H}:o  hash        peer_id hex -> node id holding its WebSocket
 * Cluster-wide: <p>swarms (sorted set H -> expiry), <p>nodes (node id -> expiry),
 * <p>stats:<node> (a node's stats snapshot, with TTL), channel <p>node:<node> (its inbox).
 * Times come from Redis's TIME, so nodes' clocks need not agree. Expired entries are removed as
 * they are met (at most EXPIRED_BATCH per call, so a call stays short) and whole swarm keys
 * expire when nobody refreshes them.
 */
import type { Redis } from 'ioredis';

export interface Keys {
  readonly m: string;
  readonly c: string;
  readonly o: string;
}

export function swarmKeys(prefix: string, ihHex: string): Keys {
  const base = `${prefix}s:{${ihHex}}:`;
  return { m: `${base}m`, c: `${base}c`, o: `${base}o` };
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const PURGE = `local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 500)
if #gone > 0 then
  redis.call('ZREM', KEYS[1], unpack(gone))
  redis.call('ZREM', KEYS[2], unpack(gone))
  redis.call('HDEL', KEYS[3], unpack(gone))
end`;

const SET_PEER = `redis.call('ZADD', KEYS[1], exp, p)
redis.call('HSET', KEYS[3], p, node)
if done == '1' then redis.call('ZADD', KEYS[2], exp, p) else redis.call('ZREM', KEYS[2], p) end`;

const KEEP = `for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ttl * 2) end
redis.call('ZADD', KEYS[4], exp, ih)`;

/** True when p is held, unexpired, by a node other than `node`. */
const HELD_ELSEWHERE = `local function heldElsewhere(p)
  local owner = redis.call('HGET', KEYS[3], p)
  if not owner or owner == node then return false end
  local sc = redis.call('ZSCORE', KEYS[1], p)
  return sc ~= false and tonumber(sc) > now
end`;

/**
 * KEYS m c o swarms; ARGV peer node ttl complete(0/1) maxPeers n ih
 * -> {'taken'} | {'full'} | {'ok', total, complete, peer1, node1, peer2, node2, ...}: up to 2n
 * candidates, of which the node offers n (those the announcer has not met recently first)
 */
const ANNOUNCE = `${NOW}
local p, node, ttl, done, max, n, ih = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local exp = now + ttl
${PURGE}
${HELD_ELSEWHERE}
if heldElsewhere(p) then return {'taken'} end
if redis.call('ZSCORE', KEYS[1], p) == false and redis.call('ZCARD', KEYS[1]) >= max then return {'full'} end
${SET_PEER}
${KEEP}
local out = {'ok', redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2])}
if n > 0 then
  local picks = redis.call('ZRANDMEMBER', KEYS[1], 2 * n + 1)
  for _, q in ipairs(picks) do
    if q ~= p and #out < 3 + 4 * n then
      local owner = redis.call('HGET', KEYS[3], q)
      if owner then
        out[#out + 1] = q
        out[#out + 1] = owner
      end
    end
  end
end
return out`;

/** KEYS m c o swarms; ARGV node ttl ih, then pairs peer complete(0/1). Re-registers a node's peers. */
const REFRESH = `${NOW}
local node, ttl, ih = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local exp = now + ttl
${PURGE}
${HELD_ELSEWHERE}
for i = 4, #ARGV - 1, 2 do
  local p, done = ARGV[i], ARGV[i + 1]
  -- A peer_id taken on another node while Redis was away stays with that node.
  if not heldElsewhere(p) then
    ${SET_PEER}
  end
end
${KEEP}
return 0`;

/** KEYS m c o; ARGV peer node. Removes the peer only if this node holds it. */
const LEAVE = `if redis.call('HGET', KEYS[3], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
end
return 0`;

/** KEYS m c; -> {members, complete} not expired. */
const COUNTS = `${NOW}
return {redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf'), redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')}`;

/** Redis with the scripts above as commands (EVALSHA, loaded on first use). */
export interface ScriptedRedis extends Redis {
  shoalAnnounce(m: string, c: string, o: string, swarms: string, ...args: (string | number)[]): Promise<(string | number)[]>;
  shoalRefresh(m: string, c: string, o: string, swarms: string, ...args: (string | number)[]): Promise<number>;
  shoalLeave(m: string, c: string, o: string, peer: string, node: string): Promise<number>;
  shoalCounts(m: string, c: string): Promise<[number, number]>;
}

export function defineScripts(r: Redis): ScriptedRedis {
  r.defineCommand('shoalAnnounce', { numberOfKeys: 4, lua: ANNOUNCE });
  r.defineCommand('shoalRefresh', { numberOfKeys: 4, lua: REFRESH });
  r.defineCommand('shoalLeave', { numberOfKeys: 3, lua: LEAVE });
  r.defineCommand('shoalCounts', { numberOfKeys: 2, lua: COUNTS });
  return r as ScriptedRedis;
}
