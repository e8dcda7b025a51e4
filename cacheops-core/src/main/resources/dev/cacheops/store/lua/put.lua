-- Stores an entry if its stamps still hold the expected values and no table it reads has a
-- write in progress (compare and set).
--
-- KEYS[1]              the entry key
-- KEYS[2 .. n+1]       the stamp keys
-- KEYS[n+2 ..]         the write-in-progress sorted sets of the tables the entry reads
-- ARGV[1]              n, the number of stamps
-- ARGV[2]              the entry value
-- ARGV[3]              the entry TTL in ms
-- ARGV[4]              the stamp TTL in ms: stamps living shorter are extended to it
-- ARGV[5 .. 4+n]       the expected stamp values
-- ARGV[5+n]            optional: the entry's stamp keys, newline-separated, to record under the
--                      last key (then the write-in-progress keys end one before it)
--
-- Returns 1 when stored, 0 when refused (nothing written then).
local n = tonumber(ARGV[1])
local deps = ARGV[n + 5]
local last_wip = #KEYS
if deps then
    last_wip = #KEYS - 1
end
local current = redis.call('MGET', unpack(KEYS, 2, n + 1))
for i = 1, n do
    local v = current[i]
    -- A missing stamp (false) or a LOCKED one never matches: a writer invalidated meanwhile.
    if not v or v == 'LOCKED' or v ~= ARGV[i + 4] then
        return 0
    end
end
if last_wip > n + 1 then
    -- NOTE: TIME is allowed because Redis 7 replicates scripts by their effects.
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    for j = n + 2, last_wip do
        if redis.call('ZCOUNT', KEYS[j], '(' .. string.format('%.0f', now), '+inf') > 0 then
            return 0
        end
    end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if deps then
    redis.call('SET', KEYS[#KEYS], deps, 'PX', ARGV[3])
end
-- Stamps must outlive every entry that depends on them: an entry whose stamp expired can never
-- be valid again (the stamp comes back with a new value), so a shorter stamp wastes the entry.
local stamp_ttl = tonumber(ARGV[4])
for i = 2, n + 1 do
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl >= 0 and ttl < stamp_ttl then
        redis.call('PEXPIRE', KEYS[i], stamp_ttl)
    end
end
return 1
