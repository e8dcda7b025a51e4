-- Removes a writer from the write-in-progress sets of its tables (rollback after LOCK). Stamps
-- stay LOCKED until their short TTL ends: the write never happened, but the locked stamps cost
-- only a few misses, and deleting them would need the row images again.
--
-- KEYS                 the write-in-progress sorted sets
-- ARGV[1]              the writer id
for i = 1, #KEYS do
    redis.call('ZREM', KEYS[i], ARGV[1])
end
return #KEYS
