-- Reads an entry together with its stamps; creates missing stamps and registers schemes.
--
-- KEYS[1]              the entry key
-- KEYS[2 .. n+1]       the stamp keys, in checksum order
-- KEYS[n+2 .. n+1+m]   the schemes set keys, one per scheme to register
-- ARGV[1]              n, the number of stamps
-- ARGV[2]              stamp base: a created stamp gets the value <base>:<i> (i = 1-based position)
-- ARGV[3]              stamp TTL in ms
-- ARGV[4 .. 3+m]       the scheme names, paired with KEYS[n+2 ..]
--
-- Returns {locked, entry, stamp_1, ..., stamp_n}: locked is 1 when a stamp holds LOCKED; entry is
-- nil when absent, when a stamp was created or when a stamp is locked (it cannot be valid then,
-- and not sending it saves the bandwidth).
-- NOTE: when every stamp exists nothing is written, so the hit path stays a pure read.
local n = tonumber(ARGV[1])
local values = redis.call('MGET', unpack(KEYS, 1, n + 1))
local result = {0, false}
local created = false
local locked = false
for i = 1, n do
    local v = values[i + 1]
    if not v then
        v = ARGV[2] .. ':' .. i
        -- NX although the key was just read missing: stays correct if a caller ever repeats a key.
        if not redis.call('SET', KEYS[i + 1], v, 'NX', 'PX', ARGV[3]) then
            v = redis.call('GET', KEYS[i + 1])
        end
        created = true
    elseif v == 'LOCKED' then
        locked = true
    end
    result[i + 2] = v
end
if created then
    -- A stamp never exists without its scheme being known to writers.
    for j = n + 2, #KEYS do
        redis.call('SADD', KEYS[j], ARGV[j - n + 2])
    end
end
if locked then
    result[1] = 1
elseif not created then
    result[2] = values[1]
end
return result
