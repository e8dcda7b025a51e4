package dev.cacheops.spring.cache;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cacheops.Serializer;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;

/**
 * JSON with the Java type of every value written beside it, for Spring caches, whose values
 * have no type known in advance. Only types of allowed packages ({@code java.lang},
 * {@code java.util}, {@code java.time}, {@code java.math} and the application's) are ever
 * instantiated from the store, so the type names in Redis cannot name an arbitrary class.
 * Thread-safe.
 */
final class TypedJsonSerializer implements Serializer {
    private final ObjectMapper mapper;

    TypedJsonSerializer(List<String> applicationPackages) {
        BasicPolymorphicTypeValidator.Builder allowed = BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("java.lang.").allowIfSubType("java.util.").allowIfSubType("java.time.")
                .allowIfSubType("java.math.").allowIfSubTypeIsArray();
        for (String p : applicationPackages) {
            allowed.allowIfSubType(p + ".");
        }
        this.mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .activateDefaultTyping(allowed.build(), ObjectMapper.DefaultTyping.EVERYTHING, JsonTypeInfo.As.WRAPPER_ARRAY);
    }

    @Override
    public byte[] serialize(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise a " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Object deserialize(byte[] bytes, Type type) {
        try {
            return mapper.readValue(bytes, Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read a cached value: " + e.getMessage(), e);
        }
    }
}
