package dev.cacheops.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One Lua script from {@code dev/cacheops/store/lua}, run by its SHA-1 ({@code EVALSHA}) and
 * loaded again when Redis answers {@code NOSCRIPT} (after a restart, a failover or a
 * {@code SCRIPT FLUSH}). Immutable and thread-safe.
 */
final class LuaScript {
    private final String name;
    private final byte[] body;
    private final String sha;

    private LuaScript(String name, byte[] body) {
        this.name = name;
        this.body = body;
        this.sha = sha1(body);
    }

    /** Reads {@code lua/<name>.lua} from the class path; a missing script is a packaging bug. */
    static LuaScript load(String name) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/cacheops/store/" + path);
            }
            return new LuaScript(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/cacheops/store/" + path, e);
        }
    }

    String name() {
        return name;
    }

    String sha() {
        return sha;
    }

    /** The script's text, for the pooled path's {@code SCRIPT LOAD} after a {@code NOSCRIPT}. */
    byte[] body() {
        return body.clone();
    }

    /**
     * {@code SCRIPT LOAD}, completing with the SHA Redis computed. Through a cluster connection's
     * commands Lettuce loads it on every node.
     */
    CompletableFuture<String> scriptLoad(RedisClusterAsyncCommands<String, byte[]> redis) {
        return redis.scriptLoad(body).toCompletableFuture();
    }

    /**
     * {@code EVALSHA}; on {@code NOSCRIPT} loads the script and runs it once more. (The commands of
     * a standalone connection and of a cluster connection share this interface; on a cluster the
     * script runs on the node of {@code keys[0]}.)
     */
    <T> CompletableFuture<T> eval(RedisClusterAsyncCommands<String, byte[]> redis, ScriptOutputType type,
                                  String[] keys, byte[][] args) {
        CompletableFuture<T> first = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return first.exceptionallyCompose(e -> {
            Throwable cause = unwrap(e);
            if (isNoScript(cause)) {
                return scriptLoad(redis).thenCompose(loaded -> redis.<T>evalsha(sha, type, keys, args));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private static boolean isNoScript(Throwable e) {
        return e instanceof RedisNoScriptException
                || (e != null && e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String sha1(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
