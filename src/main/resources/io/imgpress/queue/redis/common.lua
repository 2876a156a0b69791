-- Shared by every script of RedisJobQueue (prepended to each). All keys are declared and share
-- one hash tag, so the queue works on a cluster too (in one slot).
-- KEYS: 1 seq, 2 jobs, 3 deliveries, 4 refs, 5 enqueued, 6 delayed, 7 dead letters,
--       then for each JobKind (in declaration order, index k from 0): ready, stream, leases,
--       and last (KEYS[#KEYS]) dead.
-- jobs:       hash, job id -> "k|rank|enqueued millis|kind name|ref" (ref last: it may hold '|')
-- deliveries: hash, job id -> hand-outs so far
-- refs:       hash, "kind name|ref" -> job id, for every live job (idempotent enqueue, depth)
-- enqueued:   sorted set of live job ids by enqueue time (the oldest, for depth)
-- delayed:    sorted set of job ids by due time (clock millis), waiting for their time
-- ready:      sorted set of due job ids by rank; equal ranks sort by member, the zero-padded
--             sequence number, so by age
-- stream:     entries {job = id} of the jobs handed out, pending in consumer group GROUP
-- leases:     sorted set of those entries' ids by lease deadline (clock millis)
-- dead:       set of "kind name|ref" of the dead letters: enqueueing one again does nothing, so the
--             reconciler, which re-sends all open work, cannot bring back a job that kept killing
--             its workers; an operator deletes the set to have them re-sent
local GROUP = 'imgpress'

local function ready(k)
  return KEYS[8 + 3 * k]
end

local function stream(k)
  return KEYS[9 + 3 * k]
end

local function leases(k)
  return KEYS[10 + 3 * k]
end

local function job(id)
  local v = redis.call('HGET', KEYS[2], id)
  if not v then
    return nil
  end
  local k, rank, enq, name, ref = string.match(v, '^(%d+)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  return { k = tonumber(k), rank = rank, enq = enq, name = name, ref = ref }
end

local function forget(id, j)
  redis.call('HDEL', KEYS[2], id)
  redis.call('HDEL', KEYS[3], id)
  redis.call('ZREM', KEYS[5], id)
  if j then
    redis.call('HDEL', KEYS[4], j.name .. '|' .. j.ref)
  end
end

-- Whether the lease (entry, delivery count, consumer) is still the entry's current one: the entry
-- is pending with that consumer, and was not claimed again since (XCLAIM counts a delivery).
local function holds(k, entry, count, consumer)
  local p = redis.pcall('XPENDING', stream(k), GROUP, entry, entry, 1)
  if type(p) ~= 'table' or p.err or p[1] == nil then
    return false
  end
  return p[1][2] == consumer and tostring(p[1][4]) == count
end
