-- ARGV: consumer. Removes the consumer from each kind's group where it holds no entry, so that
-- stopped processes do not pile up in XINFO CONSUMERS; a consumer still holding entries stays, and
-- its entries are taken over when their leases run out. Returns the number of groups it left.
local left = 0
for k = 0, math.floor((#KEYS - 8) / 3) - 1 do
  local p = redis.pcall('XPENDING', stream(k), GROUP, '-', '+', 1, ARGV[1])
  if type(p) == 'table' and not p.err and p[1] == nil then
    redis.call('XGROUP', 'DELCONSUMER', stream(k), GROUP, ARGV[1])
    left = left + 1
  end
end
return left
