package dev.cacheops.store;

/**
 * The store could not be reached or did not answer in time. The engine catches it, serves the
 * database instead, and (for lost invalidations) replaces the epoch once the store answers again.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
