-- Invalidates what writes did to some tables, from each table's current schemes.
--
-- ARGV encoding (flat, every count precedes what it counts, so any string is safe):
--   ARGV[1]   the key prefix, ending with ':' (Keys.prefix())
--   ARGV[2]   the phase: LOCK or RELEASE
--   ARGV[3]   the writer id
--   ARGV[4]   the lock TTL in ms
--   ARGV[5]   the number of tables, then per table:
--     <table>  <whole: 1|0>  <number of rows>, then per row:
--       <number of columns>, then per column: <column> <value>
-- Table, column names and values arrive escaped (Keys.escape), so they contain no ':', ',',
-- '&' or '='. No KEYS: the keys depend on the schemes read here (standalone Redis allows it).
--
-- Affected keys per table: whole table -> P:sv:<table>:<s> for every scheme s. Otherwise, per
-- row and scheme: P:conj:<table>:<c1>=<v1>&... (columns in scheme order) when the row has every
-- column of s, else P:sv:<table>:<s> (an unknown value is never guessed).
-- LOCK sets them to LOCKED for the lock TTL and adds the writer to P:wip:<table>, scored by its
-- expiry; RELEASE deletes them, then removes the writer and any expired writer.
-- While a near cache listens on the changes channel (P:changes-wanted exists: it could not use
-- client tracking), every affected key is published on P:changes, one per line.
-- Returns the number of affected keys.
local prefix, phase, writer = ARGV[1], ARGV[2], ARGV[3]
local lock_ttl = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local total = 0
local pos = 6
local changed = {}

local function columns(scheme)
    local cols = {}
    for col in string.gmatch(scheme, '[^,]+') do
        cols[#cols + 1] = col
    end
    return cols
end

for _ = 1, tonumber(ARGV[5]) do
    local tbl, whole, nrows = ARGV[pos], ARGV[pos + 1] == '1', tonumber(ARGV[pos + 2])
    pos = pos + 3
    local rows = {}
    for r = 1, nrows do
        local ncols = tonumber(ARGV[pos])
        pos = pos + 1
        local row = {}
        for _ = 1, ncols do
            row[ARGV[pos]] = ARGV[pos + 1]
            pos = pos + 2
        end
        rows[r] = row
    end

    local schemes = redis.call('SMEMBERS', prefix .. 'schemes:' .. tbl)
    local affected, keys = {}, {}
    local function add(key)
        if not affected[key] then
            affected[key] = true
            keys[#keys + 1] = key
        end
    end
    if whole then
        for _, s in ipairs(schemes) do
            add(prefix .. 'sv:' .. tbl .. ':' .. s)
        end
    else
        local scheme_cols = {}
        for i, s in ipairs(schemes) do
            scheme_cols[i] = columns(s)
        end
        for _, row in ipairs(rows) do
            for i, s in ipairs(schemes) do
                local parts, complete = {}, true
                for _, col in ipairs(scheme_cols[i]) do
                    local v = row[col]
                    if v == nil then
                        complete = false
                        break
                    end
                    parts[#parts + 1] = col .. '=' .. v
                end
                if complete then
                    add(prefix .. 'conj:' .. tbl .. ':' .. table.concat(parts, '&'))
                else
                    add(prefix .. 'sv:' .. tbl .. ':' .. s)
                end
            end
        end
    end

    local wip = prefix .. 'wip:' .. tbl
    if phase == 'LOCK' then
        for _, k in ipairs(keys) do
            redis.call('SET', k, 'LOCKED', 'PX', lock_ttl)
        end
        redis.call('ZADD', wip, string.format('%.0f', now + lock_ttl), writer)
        -- The set lives as long as its longest writer; a crashed writer's entry expires with it.
        if redis.call('PTTL', wip) < lock_ttl then
            redis.call('PEXPIRE', wip, lock_ttl)
        end
    else
        for _, k in ipairs(keys) do
            redis.call('DEL', k)
        end
        redis.call('ZREM', wip, writer)
        redis.call('ZREMRANGEBYSCORE', wip, '-inf', string.format('%.0f', now))
    end
    total = total + #keys
    for _, k in ipairs(keys) do
        changed[#changed + 1] = k
    end
end
-- NOTE: on Redis Cluster the store passes each slot's schemes and wip keys as KEYS, to route the
-- script; the changes key lives in another slot, out of a script's reach there, and no near cache
-- listens on a cluster: no channel then.
if #KEYS == 0 and #changed > 0 and redis.call('EXISTS', prefix .. 'changes-wanted') == 1 then
    redis.call('PUBLISH', prefix .. 'changes', table.concat(changed, '\n'))
end
return total
