-- Redis Cluster: the creating part of a fetch for the stamps of one slot (one table's stamps and
-- schemes set share a slot; the epoch has a slot of its own). Creates the missing stamps and,
-- when it created any, registers the schemes in the same atomic step, so a stamp never exists
-- without its scheme being known to writers (the standalone fetch.lua does this for all slots).
--
-- KEYS[1 .. n]         the stamp keys of this slot
-- KEYS[n+1 .. n+m]     the schemes set keys of this slot, one per scheme to register
-- ARGV[1]              n, the number of stamps
-- ARGV[2]              stamp TTL in ms
-- ARGV[3 .. n+2]       the value each stamp gets if it has to be created (<base>:<position>)
-- ARGV[n+3 .. n+2+m]   the scheme names, paired with KEYS[n+1 ..]
--
-- Returns {created, stamp_1, ..., stamp_n}: created is 1 when a stamp was created here.
local n = tonumber(ARGV[1])
local values = redis.call('MGET', unpack(KEYS, 1, n))
local result = {0}
for i = 1, n do
    local v = values[i]
    if not v then
        v = ARGV[2 + i]
        redis.call('SET', KEYS[i], v, 'NX', 'PX', ARGV[2])
        result[1] = 1
    end
    result[i + 1] = v
end
if result[1] == 1 then
    for j = n + 1, #KEYS do
        redis.call('SADD', KEYS[j], ARGV[j + 2])
    end
end
return result
