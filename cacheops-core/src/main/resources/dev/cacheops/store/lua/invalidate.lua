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
--     <number of changed columns, or -1 for "any column">, then the changed columns
-- Table, column names and values arrive escaped (Keys.escape), so they contain no ':', ',',
-- '&' or '='. No KEYS: the keys depend on the schemes read here (standalone Redis allows it).
--
-- A scheme is '<c1>,<c2>...' (condition columns) or '<c1>,<c2>...:<r1>,<r2>...' with the column
-- set of the results under it (DESIGN §3, "Column sets"). A scheme with a column set is skipped
-- when the changed columns are known and none of them is a condition column or in its set: the
-- write changed no value those results depend on.
-- Affected keys per table: whole table -> P:sv:<table>:<s> for every scheme s. Otherwise, per
-- row and scheme: P:conj:<table>:<c1>=<v1>&... (columns in scheme order, then ':<column set>' if
-- s has one) when the row has every column of s, else P:sv:<table>:<s> (an unknown value is never
-- guessed).
-- LOCK sets them to LOCKED for the lock TTL and adds the writer to P:wip:<table>, scored by its
-- expiry, and its record (the schemes it read, the keys it locked) to the hash P:wips:<table>
-- under its id: a fill is refused only while a writer in progress did not know one of its schemes
-- or locked one of its stamps (DESIGN §3). RELEASE deletes them, then removes the writer and any
-- expired writer from both, and remembers the writer in P:released:<table> for the lock TTL: a
-- LOCK of a writer already released there locks nothing (a LOCK sent over the pool that timed out
-- at the writer may reach Redis after the RELEASE sent over the shared connection).
-- While a near cache listens on the changes channel (P:changes-wanted exists: it could not use
-- client tracking), every affected key is published on P:changes, one per line.
-- Returns the number of affected keys.
local prefix, phase, writer = ARGV[1], ARGV[2], ARGV[3]
-- The most locked keys a writer's record lists per table; a longer lock refuses every fill of the
-- table's entries until its release, as any lock did before records.
local MAX_RECORDED = 128
local lock_ttl = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local total = 0
local pos = 6
local changed = {}

-- The condition columns of a scheme and its ':<column set>' suffix ('' when it has none).
local function columns(scheme)
    local cols = {}
    local colon = string.find(scheme, ':', 1, true)
    local conds, suffix = scheme, ''
    if colon then
        conds, suffix = string.sub(scheme, 1, colon - 1), string.sub(scheme, colon)
    end
    for col in string.gmatch(conds, '[^,]+') do
        cols[#cols + 1] = col
    end
    return cols, suffix
end

-- Whether a write that changed these columns (nil: any) can change results under the scheme.
local function affects(scheme, changed_cols)
    if changed_cols == nil or not string.find(scheme, ':', 1, true) then
        return true
    end
    for col in string.gmatch(scheme, '[^,:]+') do
        if changed_cols[col] then
            return true
        end
    end
    return false
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
    local nchanged = tonumber(ARGV[pos])
    pos = pos + 1
    local changed_cols = nil
    if nchanged >= 0 then
        changed_cols = {}
        for _ = 1, nchanged do
            changed_cols[ARGV[pos]] = true
            pos = pos + 1
        end
    end

    local schemes = {}
    local registered = redis.call('SMEMBERS', prefix .. 'schemes:' .. tbl)
    for _, s in ipairs(registered) do
        if affects(s, changed_cols) then
            schemes[#schemes + 1] = s
        end
    end
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
        local scheme_cols, suffixes = {}, {}
        for i, s in ipairs(schemes) do
            scheme_cols[i], suffixes[i] = columns(s)
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
                    add(prefix .. 'conj:' .. tbl .. ':' .. table.concat(parts, '&') .. suffixes[i])
                else
                    add(prefix .. 'sv:' .. tbl .. ':' .. s)
                end
            end
        end
    end

    local wip, wips = prefix .. 'wip:' .. tbl, prefix .. 'wips:' .. tbl
    local released = prefix .. 'released:' .. tbl
    if phase == 'LOCK' and redis.call('ZREM', released, writer) == 1 then
        -- This writer's RELEASE came first: its LOCK travelled on another connection and arrived
        -- late (it timed out at the writer, which committed and released). Locking now would hold
        -- the stamps and the table's fills until the lock TTL ends; the RELEASE already did all.
        -- (ZREM, not ZSCORE, to stay within the README's ACL: a writer locks a table once.)
        keys = {}
    elseif phase == 'LOCK' then
        for _, k in ipairs(keys) do
            redis.call('SET', k, 'LOCKED', 'PX', lock_ttl)
        end
        redis.call('ZADD', wip, string.format('%.0f', now + lock_ttl), writer)
        -- The writer's record (WriterRecord): the number of schemes it read, the schemes, then the
        -- keys it locked without the prefix, or '*' past MAX_RECORDED; each line ends with '\n'.
        local record = {tostring(#registered)}
        for _, s in ipairs(registered) do
            record[#record + 1] = s
        end
        if #keys > MAX_RECORDED then
            record[#record + 1] = '*'
        else
            for _, k in ipairs(keys) do
                record[#record + 1] = string.sub(k, #prefix + 1)
            end
        end
        redis.call('HSET', wips, writer, table.concat(record, '\n') .. '\n')
        -- Both live as long as their longest writer; a crashed writer's entry expires with them.
        for _, k in ipairs({wip, wips}) do
            if redis.call('PTTL', k) < lock_ttl then
                redis.call('PEXPIRE', k, lock_ttl)
            end
        end
    else
        for _, k in ipairs(keys) do
            redis.call('DEL', k)
        end
        redis.call('ZREM', wip, writer)
        redis.call('HDEL', wips, writer)
        local cutoff = string.format('%.0f', now)
        for _, w in ipairs(redis.call('ZRANGEBYSCORE', wip, '-inf', cutoff)) do
            redis.call('HDEL', wips, w)
        end
        redis.call('ZREMRANGEBYSCORE', wip, '-inf', cutoff)
        -- Remembered for the lock TTL, so that this writer's LOCK arriving after it is ignored.
        redis.call('ZADD', released, string.format('%.0f', now + lock_ttl), writer)
        redis.call('ZREMRANGEBYSCORE', released, '-inf', cutoff)
        if redis.call('PTTL', released) < lock_ttl then
            redis.call('PEXPIRE', released, lock_ttl)
        end
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
