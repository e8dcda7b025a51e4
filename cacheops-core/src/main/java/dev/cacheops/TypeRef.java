package dev.cacheops;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Captures a generic type for function results, e.g.
 * {@code new TypeRef<List<PostDto>>() { }}. Immutable.
 *
 * @param <T> the type
 */
public abstract class TypeRef<T> {
    private final Type type;

    protected TypeRef() {
        Type sup = getClass().getGenericSuperclass();
        if (!(sup instanceof ParameterizedType p)) {
            throw new IllegalStateException("TypeRef must be created with a type argument: new TypeRef<X>() { }");
        }
        this.type = p.getActualTypeArguments()[0];
    }

    /** The captured type. */
    public Type type() {
        return type;
    }
}
