/**
 * The engine behind the JDBC wrappers, free of any wrapper code: what one {@code Cacheops}
 * instance shares ({@link dev.cacheops.engine.Engine}, {@link dev.cacheops.engine.EngineSettings},
 * the table profiles), one wrapped database's view of itself
 * ({@link dev.cacheops.engine.Database}: identity, catalog, remembered
 * {@link dev.cacheops.engine.Plan}s), how a read is planned and bound to its parameters
 * ({@code Plan}, {@code Binder}, {@link dev.cacheops.engine.Params}), manual caching instructions
 * ({@link dev.cacheops.engine.Scope}), function samples ({@link dev.cacheops.engine.SampleQuery}),
 * and how a write is invalidated: {@link dev.cacheops.engine.WriteExecution} reads the row images
 * ({@code RowImages}), works out the written values ({@code Written}) and the foreign-key
 * cascades ({@code Cascades}).
 *
 * <p>Depends on {@code protocol}, {@code sql} and {@code store}, never on {@code jdbc}: the
 * wrappers call into the engine, not the other way round. Only what the wrappers and the root
 * package use is public.
 */
package dev.cacheops.engine;
