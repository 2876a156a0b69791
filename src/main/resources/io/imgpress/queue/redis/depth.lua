-- Returns the number of live jobs and the enqueue time of the oldest ('' when none).
local oldest = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
return { tostring(redis.call('HLEN', KEYS[4])), oldest[2] or '' }
