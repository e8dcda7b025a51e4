package dev.cacheops.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
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
 * <p>The connection does not reconnect by itself: when it drops, the listener is told
 * {@link KeyChanges#lost()} at once, and this class connects again, re-enables tracking and then
 * says {@link KeyChanges#watching()}. A Redis that refuses tracking (older than 6, or an ACL user
 * without {@code CLIENT}) is logged once and asked again every minute; the listener then never
 * hears {@code watching()}. Thread-safe.
 */
final class Tracking implements KeyWatch {
    private static final Logger log = LoggerFactory.getLogger(Tracking.class);
    private static final long REFUSED_RETRY_MILLIS = 60_000;

    private final RedisClient client;
    private final RedisURI uri;
    private final String where;
    private final List<String> prefixes;
    private final KeyChanges listener;
    private final Duration timeout;
    private final Duration retry;
    private final ScheduledExecutorService executor;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;
    private boolean refusedLogged;

    Tracking(ClientResources resources, ClientOptions options, RedisURI uri, String where, List<String> prefixes,
             KeyChanges listener, Duration timeout, Duration retry) {
        this.uri = uri;
        this.where = where;
        this.prefixes = List.copyOf(prefixes);
        this.listener = listener;
        this.timeout = timeout;
        this.retry = retry;
        this.client = RedisClient.create(resources);
        // Pushes need RESP3; and a lost connection must be noticed, not silently restored.
        client.setOptions(options.mutate().protocolVersion(ProtocolVersion.RESP3).autoReconnect(false).build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                disconnected(handler);
            }
        });
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
        StatefulRedisConnection<String, String> c;
        synchronized (this) {
            c = connection;
            connection = null;
            listener.lost();
        }
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private void connect() {
        if (closed) {
            return;
        }
        StatefulRedisConnection<String, String> c = null;
        try {
            c = client.connect(StringCodec.UTF8, uri);
            c.addListener(this::pushed);
            TrackingArgs args = new TrackingArgs().enabled(true).bcast().prefixes(prefixes.toArray(String[]::new));
            c.async().clientTracking(args).get(timeout.toMillis() * 10, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close(c);
            if (e.getCause() instanceof RedisCommandExecutionException refused) {
                if (!refusedLogged) {
                    refusedLogged = true;
                    log.warn("Redis {} refuses CLIENT TRACKING ({}); the near cache stays empty and every hit "
                            + "goes to Redis. It needs Redis 6 or later and, with ACL, the CLIENT command.",
                            where, refused.getMessage());
                }
                schedule(REFUSED_RETRY_MILLIS);
            } else {
                log.debug("could not enable tracking on Redis {}: {}", where, e.getCause().toString());
                schedule(retry.toMillis());
            }
            return;
        } catch (TimeoutException | RuntimeException e) {
            close(c);
            log.debug("could not connect the watch to Redis {}: {}", where, e.toString());
            schedule(retry.toMillis());
            return;
        } catch (InterruptedException e) {
            close(c);
            return;
        }
        if (closed) {
            c.close();
            return;
        }
        synchronized (this) {
            if (!c.isOpen()) {
                // Dropped between the answer and now, when its disconnect found no connection yet.
                schedule(retry.toMillis());
                return;
            }
            connection = c;
            listener.watching();
        }
        refusedLogged = false;
        log.debug("watching Redis {} for changes of {}", where, prefixes);
    }

    private void disconnected(RedisChannelHandler<?, ?> handler) {
        synchronized (this) {
            if (connection == null || connection != handler) {
                return;
            }
            connection = null;
            // Said before anything else can happen: from here on a change may go unreported.
            listener.lost();
        }
        if (!closed) {
            log.debug("watch connection to Redis {} lost; reconnecting", where);
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

    private static Object decode(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b).toString();
    }

    private void schedule(long millis) {
        if (closed) {
            return;
        }
        try {
            executor.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private static void close(StatefulRedisConnection<String, String> c) {
        if (c != null) {
            c.closeAsync();
        }
    }
}
