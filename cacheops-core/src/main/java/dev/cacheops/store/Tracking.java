package dev.cacheops.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KeyWatch} through Redis' server-assisted client-side caching: one dedicated RESP3
 * connection with {@code CLIENT TRACKING ON BCAST PREFIX ...}, on which Redis pushes the name of
 * every key with one of the prefixes that is modified, deleted, expired or evicted, by any client.
 *
 * <p>Broadcast mode, not the default mode: in the default mode Redis remembers which keys each
 * client read and tells it about those only, but the keys are read over other connections (the
 * pool), so every one of them would have to redirect to this one, and a read the server had not
 * registered yet would be missed. Broadcast costs a push per change of a watched key to every
 * watching instance; only stamps are watched, which change once per invalidation.
 *
 * <p><b>Fallback: a channel.</b> Where Redis refuses tracking (before 6.0, RESP2 only, or an ACL
 * user without {@code client|tracking}) the watch subscribes to the channel
 * {@link Keys#changesChannel()} instead, and keeps the key {@link Keys#changesWanted()} alive while
 * it listens (TTL {@value #WANTED_TTL_MILLIS} ms, renewed every sixth of that). The invalidation
 * scripts publish the stamps they change whenever that key exists. The key is set only once the
 * subscription is confirmed and the listener hears {@link KeyChanges#watching()} only after that:
 * a script that ran before saw no key and published nothing, but its change is in Redis before
 * any read this watch can be asked to cover. A renewal that fails, or comes later than half the
 * TTL, counts as a lost watch. Only the invalidation scripts publish: stamps that expire are not
 * reported, which is harmless because a stamp outlives every entry stored under it.
 *
 * <p>The connections do not reconnect by themselves: when one drops, the listener is told
 * {@link KeyChanges#lost()} at once, and this class connects again and then says
 * {@link KeyChanges#watching()}. A Redis that refuses both is logged once and asked again every
 * minute; the listener then never hears {@code watching()}. Thread-safe.
 */
final class Tracking implements KeyWatch {
    private static final Logger log = LoggerFactory.getLogger(Tracking.class);
    private static final long REFUSED_RETRY_MILLIS = 60_000;
    static final long WANTED_TTL_MILLIS = 60_000;

    private final RedisClient trackingClient;
    private final RedisClient plainClient;
    private final RedisURI uri;
    private final String where;
    private final List<String> prefixes;
    private final String channel;
    private final String wantedKey;
    private final KeyChanges listener;
    private final Duration timeout;
    private final Duration retry;
    private final ScheduledExecutorService executor;
    /** The connection the reports arrive on (and the fence's); null while not watching. */
    private volatile StatefulRedisConnection<String, String> connection;
    /** In the channel fallback, the connection that keeps {@link #wantedKey} alive. */
    private volatile StatefulRedisConnection<String, String> keeper;
    private Future<?> renewal;
    private long renewedAtNanos;
    private volatile boolean closed;
    private boolean refusedLogged;

    Tracking(ClientResources resources, ClientOptions options, RedisURI uri, String where, Keys keys,
             KeyChanges listener, Duration timeout, Duration retry) {
        this.uri = uri;
        this.where = where;
        this.prefixes = keys.watchedPrefixes();
        this.channel = keys.changesChannel();
        this.wantedKey = keys.changesWanted();
        this.listener = listener;
        this.timeout = timeout;
        this.retry = retry;
        // A lost connection must be noticed, not silently restored: reports sent meanwhile are gone.
        ClientOptions once = options.mutate().autoReconnect(false).build();
        this.trackingClient = RedisClient.create(resources);
        // Pushes need RESP3.
        trackingClient.setOptions(once.mutate().protocolVersion(ProtocolVersion.RESP3).build());
        this.plainClient = RedisClient.create(resources);
        plainClient.setOptions(once);
        RedisConnectionStateListener state = new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                disconnected(handler);
            }
        };
        trackingClient.addListener(state);
        plainClient.addListener(state);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cacheops-near-watch");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::connect);
    }

    @Override
    public void fence() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            throw new StoreException("not watching Redis " + where + " for changes");
        }
        try {
            c.async().ping().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new StoreException("the watch connection to Redis " + where + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for Redis", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        drop(null);
        trackingClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        plainClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private void connect() {
        if (closed) {
            return;
        }
        StatefulRedisConnection<String, String> c = null;
        try {
            c = trackingClient.connect(StringCodec.UTF8, uri);
            c.addListener(this::pushed);
            TrackingArgs args = new TrackingArgs().enabled(true).bcast().prefixes(prefixes.toArray(String[]::new));
            await(c.async().clientTracking(args));
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            close(c);
            RedisCommandExecutionException refused = refused(e);
            if (refused != null) {
                subscribe(refused);
            } else {
                log.debug("could not enable tracking on Redis {}: {}", where, e.toString());
                schedule(retry.toMillis());
            }
            return;
        } catch (InterruptedException e) {
            close(c);
            return;
        }
        if (activate(c, null)) {
            log.debug("watching Redis {} for changes of {} (client tracking)", where, prefixes);
        }
    }

    /** The channel fallback, after Redis refused tracking for {@code why}. */
    private void subscribe(RedisCommandExecutionException why) {
        StatefulRedisPubSubConnection<String, String> ps = null;
        StatefulRedisConnection<String, String> k = null;
        try {
            ps = plainClient.connectPubSub(StringCodec.UTF8, uri);
            ps.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    published(message);
                }
            });
            await(ps.async().subscribe(channel));
            k = plainClient.connect(StringCodec.UTF8, uri);
            await(k.async().set(wantedKey, "1", SetArgs.Builder.px(WANTED_TTL_MILLIS)));
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            close(ps);
            close(k);
            RedisCommandExecutionException refused = refused(e);
            if (refused != null) {
                if (!refusedLogged) {
                    refusedLogged = true;
                    log.warn("Redis {} refuses CLIENT TRACKING ({}) and the channel fallback ({}); the near cache "
                            + "stays empty and every hit goes to Redis. Tracking needs Redis 6 or later and, with "
                            + "ACL, +client|tracking.", where, why.getMessage(), refused.getMessage());
                }
                schedule(REFUSED_RETRY_MILLIS);
            } else {
                log.debug("could not subscribe to {} on Redis {}: {}", channel, where, e.toString());
                schedule(retry.toMillis());
            }
            return;
        } catch (InterruptedException e) {
            close(ps);
            close(k);
            return;
        }
        if (activate(ps, k)) {
            log.info("Redis {} refuses CLIENT TRACKING ({}); the near cache listens on channel {} instead",
                    where, why.getMessage(), channel);
        }
    }

    private boolean activate(StatefulRedisConnection<String, String> c, StatefulRedisConnection<String, String> k) {
        synchronized (this) {
            if (closed || !c.isOpen() || (k != null && !k.isOpen())) {
                // Dropped between the answer and now, when its disconnect found no connection yet.
                close(c);
                close(k);
                schedule(retry.toMillis());
                return false;
            }
            connection = c;
            keeper = k;
            if (k != null) {
                renewedAtNanos = System.nanoTime();
                renewal = executor.scheduleWithFixedDelay(this::renew, WANTED_TTL_MILLIS / 6, WANTED_TTL_MILLIS / 6,
                        TimeUnit.MILLISECONDS);
            }
            listener.watching();
        }
        refusedLogged = false;
        return true;
    }

    private void renew() {
        StatefulRedisConnection<String, String> k = keeper;
        if (k == null) {
            return;
        }
        if (System.nanoTime() - renewedAtNanos > TimeUnit.MILLISECONDS.toNanos(WANTED_TTL_MILLIS / 2)) {
            // Late: the key may have expired and writers stopped publishing; start over.
            drop(k);
            return;
        }
        try {
            await(k.async().set(wantedKey, "1", SetArgs.Builder.px(WANTED_TTL_MILLIS)));
            renewedAtNanos = System.nanoTime();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.debug("could not renew {} on Redis {}: {}", wantedKey, where, e.toString());
            drop(k);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void disconnected(RedisChannelHandler<?, ?> handler) {
        drop(handler);
    }

    /**
     * Stops watching when {@code cause} is one of the current connections (or always, when it is
     * null: closing), and connects again unless closing.
     */
    private void drop(Object cause) {
        synchronized (this) {
            StatefulRedisConnection<String, String> c = connection;
            StatefulRedisConnection<String, String> k = keeper;
            if (cause != null && (c == null || (cause != c && cause != k))) {
                return;
            }
            connection = null;
            keeper = null;
            if (renewal != null) {
                renewal.cancel(false);
                renewal = null;
            }
            // Said before anything else can happen: from here on a change may go unreported.
            listener.lost();
            close(c);
            close(k);
        }
        if (!closed) {
            log.debug("watch of Redis {} lost; reconnecting", where);
            schedule(retry.toMillis());
        }
    }

    private void pushed(PushMessage message) {
        if (!"invalidate".equals(message.getType())) {
            return;
        }
        List<Object> content = message.getContent(Tracking::decode);
        Object keys = content.size() > 1 ? content.get(1) : null;
        if (keys instanceof List<?> list) {
            List<String> changed = new ArrayList<>(list.size());
            for (Object k : list) {
                changed.add(String.valueOf(k));
            }
            listener.changed(changed);
        } else {
            // A null key list: the server flushed its data (FLUSHALL, FLUSHDB).
            listener.lost();
            listener.watching();
        }
    }

    /** A message of the channel fallback: the changed keys, one per line. */
    private void published(String message) {
        listener.changed(Arrays.asList(message.split("\n")));
    }

    private static Object decode(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b).toString();
    }

    private <T> T await(io.lettuce.core.RedisFuture<T> f)
            throws ExecutionException, TimeoutException, InterruptedException {
        // Connecting is not on a caller's path: more patience than a command of the hit path.
        return f.get(timeout.toMillis() * 10, TimeUnit.MILLISECONDS);
    }

    /** The refusal by the server somewhere in the causes of {@code e}, or null. */
    private static RedisCommandExecutionException refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisCommandExecutionException r) {
                return r;
            }
        }
        return null;
    }

    private void schedule(long millis) {
        if (closed) {
            return;
        }
        try {
            executor.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private static void close(StatefulRedisConnection<String, String> c) {
        if (c != null) {
            c.closeAsync();
        }
    }
}
