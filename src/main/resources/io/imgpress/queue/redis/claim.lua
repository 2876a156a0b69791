-- ARGV: now millis, lease millis, max, consumer, max deliveries, promotion batch, then the kind
-- indexes asked for, lowest priority first.
-- Returns, flat: the number of dead letters D, their D kind names, then per claimed job its kind
-- name, job id, entry id, entry delivery count, deliveries and ref.
local now = tonumber(ARGV[1])
local deadline = now + tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local consumer = ARGV[4]
local maxDeliveries = tonumber(ARGV[5])

-- Delayed jobs whose time came join their kind's ready set (a bounded batch per claim).
local due = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[6]))
for _, id in ipairs(due) do
  local j = job(id)
  if j then
    redis.call('ZADD', ready(j.k), j.rank, id)
  end
  redis.call('ZREM', KEYS[6], id)
end

local dead = {}
local out = {}
local n = 0

-- Counts a hand-out of job id; past max deliveries the job goes to the dead letters instead.
local function deliver(id, j)
  local d = redis.call('HINCRBY', KEYS[3], id, 1)
  if d > maxDeliveries then
    redis.call('XADD', KEYS[7], '*', 'kind', j.name, 'ref', j.ref, 'deliveries', d - 1,
      'enqueued', j.enq, 'at', ARGV[1])
    forget(id, j)
    redis.call('SADD', KEYS[#KEYS], j.name .. '|' .. j.ref)
    table.insert(dead, j.name)
    return nil
  end
  return d
end

local function handOut(k, entry, id, j, d)
  redis.call('ZADD', leases(k), deadline, entry)
  local p = redis.call('XPENDING', stream(k), GROUP, entry, entry, 1)
  for _, v in ipairs({ j.name, id, entry, tostring(p[1][4]), tostring(d), j.ref }) do
    table.insert(out, v)
  end
  n = n + 1
end

for a = 7, #ARGV do
  if n >= max then
    break
  end
  local k = tonumber(ARGV[a])
  local s = stream(k)
  -- The group (and stream) come back by themselves after Redis lost its data.
  redis.pcall('XGROUP', 'CREATE', s, GROUP, '0', 'MKSTREAM')

  -- Leases that ran out: their entries move to this consumer (XCLAIM counts a delivery, so the
  -- late holder's handle no longer matches).
  local expired = redis.call('ZRANGEBYSCORE', leases(k), '-inf', ARGV[1], 'LIMIT', 0, max - n)
  for _, entry in ipairs(expired) do
    redis.call('ZREM', leases(k), entry)
    local claimed = redis.call('XCLAIM', s, GROUP, consumer, 0, entry)
    local e = claimed[1]
    if e then
      local id = e[2][2]
      local j = job(id)
      local d = j and deliver(id, j)
      if d then
        handOut(k, entry, id, j, d)
      else
        redis.call('XACK', s, GROUP, entry)
        redis.call('XDEL', s, entry)
      end
    end
  end

  -- Then ready jobs, by rank and age: each enters the stream and is read by this consumer.
  if n < max then
    local popped = redis.call('ZPOPMIN', ready(k), max - n)
    local added = {}
    local count = 0
    for i = 1, #popped, 2 do
      local id = popped[i]
      local j = job(id)
      local d = j and deliver(id, j)
      if d then
        local entry = redis.call('XADD', s, '*', 'job', id)
        added[entry] = { j = j, d = d }
        count = count + 1
      end
    end
    if count > 0 then
      local read = redis.call('XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', s, '>')
      if read then
        for _, e in ipairs(read[1][2]) do
          local entry, id = e[1], e[2][2]
          local mine = added[entry]
          local j = mine and mine.j or job(id)
          if j then
            handOut(k, entry, id, j, mine and mine.d or tonumber(redis.call('HGET', KEYS[3], id) or '1'))
          end
        end
      end
    end
  end
end

local result = { tostring(#dead) }
for _, v in ipairs(dead) do
  table.insert(result, v)
end
for _, v in ipairs(out) do
  table.insert(result, v)
end
return result
