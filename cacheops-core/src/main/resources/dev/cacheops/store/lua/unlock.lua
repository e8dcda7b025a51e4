-- Releases a dog-pile lock only if the caller still holds it.
--
-- KEYS[1]  the lock key
-- ARGV[1]  the owner
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
