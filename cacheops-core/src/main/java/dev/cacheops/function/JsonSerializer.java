package dev.cacheops.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cacheops.Serializer;
import java.io.IOException;
import java.lang.reflect.Type;

/**
 * The default {@link Serializer}: JSON via Jackson. No default typing (the target type always
 * comes from the caller, never from the payload), so a foreign payload cannot choose a class to
 * instantiate. Thread-safe.
 */
public final class JsonSerializer implements Serializer {
    /** The shared instance. */
    public static final JsonSerializer INSTANCE = new JsonSerializer();

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A result class that gained a field must still read older entries.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonSerializer() {
    }

    @Override
    public byte[] serialize(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName() + " as JSON", e);
        }
    }

    @Override
    public Object deserialize(byte[] bytes, Type type) {
        try {
            return mapper.readValue(bytes, mapper.constructType(type));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read a " + type.getTypeName() + " from the cached JSON", e);
        }
    }
}
