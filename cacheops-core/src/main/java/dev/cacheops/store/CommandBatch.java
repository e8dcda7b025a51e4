package dev.cacheops.store;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Commands written to the shared Lettuce connection in one go. Issued one by one from a caller's
 * thread, each command is its own task on the event loop and its own socket write; a fill sends
 * five or more, and the profile of the concurrent benchmark showed Lettuce's writes at two thirds
 * of the cost of all the hit path's. Not thread-safe: one batch per operation.
 */
final class CommandBatch {
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final List<RedisCommand<String, byte[], ?>> commands = new ArrayList<>();

    /** {@code MGET}: the values in order, null for a missing key. */
    CompletableFuture<List<byte[]>> mget(List<String> keys) {
        CommandArgs<String, byte[]> args = new CommandArgs<>(CODEC);
        for (String k : keys) {
            args.addKey(k);
        }
        return add(CommandType.MGET, new ValueListOutput<>(CODEC), args);
    }

    /** {@code ZCARD}. */
    CompletableFuture<Long> zcard(String key) {
        return add(CommandType.ZCARD, new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(key));
    }

    /** {@code HVALS}: the values of a hash, none when it is missing. */
    CompletableFuture<List<byte[]>> hvals(String key) {
        return add(CommandType.HVALS, new ValueListOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(key));
    }

    /** {@code PTTL}: -2 when missing, -1 without expiry. */
    CompletableFuture<Long> pttl(String key) {
        return add(CommandType.PTTL, new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(key));
    }

    /**
     * {@code SET key value PX millis}: "OK". {@code PX} as text: Lettuce 6.8 (Spring Boot 4.0's)
     * has no {@code CommandKeyword.PX}.
     */
    CompletableFuture<String> setPx(String key, byte[] value, long millis) {
        return add(CommandType.SET, new StatusOutput<>(CODEC),
                new CommandArgs<>(CODEC).addKey(key).addValue(value).add("PX").add(millis));
    }

    /** {@code PEXPIRE key millis}. */
    CompletableFuture<Boolean> pexpire(String key, long millis) {
        return add(CommandType.PEXPIRE, new BooleanOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(key).add(millis));
    }

    /** Writes every command added, in order, with one channel write. */
    void dispatch(StatefulRedisConnection<String, byte[]> connection) {
        if (!commands.isEmpty()) {
            connection.dispatch(commands);
        }
    }

    private <T> CompletableFuture<T> add(CommandType type, CommandOutput<String, byte[], T> output,
                                         CommandArgs<String, byte[]> args) {
        AsyncCommand<String, byte[], T> c = new AsyncCommand<>(new io.lettuce.core.protocol.Command<>(type, output, args));
        commands.add(c);
        return c;
    }
}
