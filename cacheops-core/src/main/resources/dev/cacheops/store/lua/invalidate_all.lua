-- Invalidates everything under a prefix by deleting its epoch, part of every entry's checksum.
-- ARGV[1]: the key prefix, ending with ':' (Keys.prefix()). No KEYS, like invalidate.lua.
-- While a near cache listens on the changes channel (its "wanted" key exists: it could not use
-- client tracking), the epoch's name is published there too. Returns the number of keys deleted.
local prefix = ARGV[1]
local deleted = redis.call('DEL', prefix .. 'epoch')
if redis.call('EXISTS', prefix .. 'changes-wanted') == 1 then
    redis.call('PUBLISH', prefix .. 'changes', prefix .. 'epoch')
end
return deleted
