-- Removes a writer from the write-in-progress sets of its tables (rollback after LOCK). Stamps
-- stay LOCKED until their short TTL ends: the write never happened, but the locked stamps cost
-- only a few misses, and deleting them would need the row images again.
--
-- KEYS                 per table, its write-in-progress sorted set (P:wip:<table>) then the hash
--                      of its writers' records (P:wips:<table>)
-- ARGV[1]              the writer id
for i = 1, #KEYS, 2 do
    redis.call('ZREM', KEYS[i], ARGV[1])
    redis.call('HDEL', KEYS[i + 1], ARGV[1])
end
return #KEYS / 2
