-- Reads an entry whose stamp keys were recorded beside it (automatic dependency capture).
--
-- KEYS[1]  the entry key
-- KEYS[2]  the key holding the entry's stamp keys, newline-separated
--
-- Returns {entry, deps, stamp_1, ..., stamp_n}: entry is nil unless every recorded stamp exists
-- and none is LOCKED; missing stamps come back as empty strings. Creates nothing: a captured
-- entry whose stamps are gone can never be valid again.
-- NOTE: the stamp keys are read from Redis, so they are not declared in KEYS (standalone only).
local deps = redis.call('GET', KEYS[2])
if not deps then
    return {false, false}
end
local keys = {}
for k in string.gmatch(deps, '[^\n]+') do
    keys[#keys + 1] = k
end
local result = {false, deps}
if #keys == 0 then
    return result
end
local values = redis.call('MGET', unpack(keys))
local valid = true
for i = 1, #keys do
    local v = values[i]
    if not v or v == 'LOCKED' then
        valid = false
        v = ''
    end
    result[i + 2] = v
end
if valid then
    result[1] = redis.call('GET', KEYS[1])
end
return result
