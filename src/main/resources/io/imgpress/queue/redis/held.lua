-- ARGV: operation (renew, complete or reschedule), now millis, lease millis, then per held job:
-- kind index, job id, entry id, entry delivery count, consumer, run-at millis, untouched (1/0).
-- Acts on the jobs whose lease is current. Returns 1 or 0 per job, in order.
local op = ARGV[1]
local now = tonumber(ARGV[2])
local deadline = now + tonumber(ARGV[3])
local result = {}
for i = 4, #ARGV, 7 do
  local k, id, entry, count, consumer = tonumber(ARGV[i]), ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  if holds(k, entry, count, consumer) then
    local s = stream(k)
    if op == 'renew' then
      redis.call('ZADD', leases(k), deadline, entry)
      -- Resets the entry's idle time (JUSTID: not counted as a delivery), for XPENDING readers.
      redis.call('XCLAIM', s, GROUP, consumer, 0, entry, 'JUSTID')
    else
      redis.call('XACK', s, GROUP, entry)
      redis.call('XDEL', s, entry)
      redis.call('ZREM', leases(k), entry)
      local j = job(id)
      if op == 'complete' then
        forget(id, j)
      elseif j then
        if ARGV[i + 6] == '1' then
          redis.call('HINCRBY', KEYS[3], id, -1)
        end
        if tonumber(ARGV[i + 5]) <= now then
          redis.call('ZADD', ready(k), j.rank, id)
        else
          redis.call('ZADD', KEYS[6], ARGV[i + 5], id)
        end
      end
    end
    table.insert(result, 1)
  else
    table.insert(result, 0)
  end
end
return result
