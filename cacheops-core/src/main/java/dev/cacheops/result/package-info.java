/**
 * Query results as data: recording a live {@link java.sql.ResultSet} into a
 * {@link dev.cacheops.result.ResultSnapshot}, encoding it with {@link dev.cacheops.result.ResultCodec}
 * and replaying it as a {@link dev.cacheops.result.ReplayResultSet} that the reading code cannot
 * tell from the driver's. Depends on nothing else in {@code dev.cacheops}.
 *
 * <p><b>Values.</b> A snapshot holds values of a closed set of types: null, {@code Boolean},
 * {@code Byte}/{@code Short}/{@code Integer}/{@code Long}, {@code Float}/{@code Double},
 * {@code BigDecimal} (scale kept), {@code BigInteger}, {@code String}, {@code byte[]},
 * {@code java.sql.Date}/{@code Time}/{@code Timestamp}, the {@code java.time} types,
 * {@code UUID}, {@code java.sql.Array} of those, and PostgreSQL's {@code PGobject} (read and
 * rebuilt by reflection; the driver is not a dependency). Each value keeps the Java class the
 * driver returned, so {@code getObject} replays faithfully. Anything else (LOBs, SQLXML, Ref,
 * RowId, Struct, driver-specific classes) makes the result unsupported: it is not cached.
 *
 * <p><b>Text.</b> Drivers print values their own way ({@code getString} of a PostgreSQL boolean is
 * {@code t}, of an H2 one {@code TRUE}). The recorder asks the driver for the text too and keeps it
 * only when it differs from the text derived the PostgreSQL way, so replayed strings are exact
 * while the common case costs no bytes.
 *
 * <p><b>Time zones.</b> {@code java.sql.Date}, {@code Time} and {@code Timestamp} values are
 * stored by their local fields (the wall clock) when the column has no time zone, so a JVM in
 * another default zone replays the wall-clock value its own driver would return; in a
 * {@code timestamptz} column they are stored as instants. A value whose local fields would not
 * rebuild it exactly falls back to epoch milliseconds, exact in a JVM with the recording zone,
 * which {@link dev.cacheops.result.ResultSnapshot#timeZone()} names. The {@code java.time} values
 * are stored by their fields and offsets and do not depend on the zone.
 *
 * <p><b>Trust.</b> Payloads come from Redis. The codec never uses Java serialization, loads no
 * class named by a payload (array component classes come from a fixed table; PGobject classes
 * must be {@code org.postgresql} subclasses of PGobject) and checks every length against the
 * remaining bytes, so a corrupt payload only ever raises
 * {@link dev.cacheops.result.CorruptPayloadException}.
 */
package dev.cacheops.result;
