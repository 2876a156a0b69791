-- ARGV: now millis, then per job: kind index, kind name, ref, run-at millis, rank.
-- A job whose (kind, ref) is live already, or a dead letter, is left out. Returns how many were added.
local now = tonumber(ARGV[1])
local added = 0
for i = 2, #ARGV, 5 do
  local k, name, ref, runAt, rank = tonumber(ARGV[i]), ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local key = name .. '|' .. ref
  if redis.call('HEXISTS', KEYS[4], key) == 0 and redis.call('SISMEMBER', KEYS[#KEYS], key) == 0 then
    local id = string.format('%016d', redis.call('INCR', KEYS[1]))
    redis.call('HSET', KEYS[4], key, id)
    redis.call('HSET', KEYS[2], id, k .. '|' .. rank .. '|' .. ARGV[1] .. '|' .. name .. '|' .. ref)
    redis.call('ZADD', KEYS[5], ARGV[1], id)
    if tonumber(runAt) <= now then
      redis.call('ZADD', ready(k), rank, id)
    else
      redis.call('ZADD', KEYS[6], runAt, id)
    end
    added = added + 1
  end
end
return added
