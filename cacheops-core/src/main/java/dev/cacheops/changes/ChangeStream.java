package dev.cacheops.changes;

import dev.cacheops.engine.Engine;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.PreferQueryMode;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidates what committed writes did that did not pass through a wrapper (psql, migrations,
 * other services, triggers), from PostgreSQL's logical replication stream (DESIGN §12).
 *
 * <p>One thread consumes the slot with pgjdbc's replication API and the built-in {@code pgoutput}
 * plugin, decodes each transaction's row changes ({@link PgOutput}) and, at its commit, hands their
 * old and new row images to the engine, which invalidates exactly what the same write through a
 * wrapper would have. Only then is the commit's position confirmed to the server, so a crash
 * replays what was not yet invalidated.
 *
 * <p>Exclusive by construction: PostgreSQL lets one connection at a time stream from a slot, so
 * every instance configured with the same slot tries, one consumes, and the others try again
 * every {@link #RETRY} (a lease the database keeps, freed when the consumer's connection ends).
 * A slot that had to be created, at the first start or because someone dropped it, means changes
 * may have gone unseen: the epoch is replaced before anything is consumed. A consumer that handles
 * a commit older than the maximum lag (it was down, or cannot keep up) replaces the epoch too,
 * rather than leave every write of that lag unseen for so long, and warns.
 *
 * <p>Thread-safe; {@link #close()} stops the thread.
 */
public final class ChangeStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);
    /** How often an instance that does not hold the slot (or lost the database) tries again. */
    static final Duration RETRY = Duration.ofSeconds(2);
    private static final int BOOL_OID = 16;
    private static final int BYTEA_OID = 17;
    /** At most this many transactions are invalidated together (bounds one invalidation's size). */
    static final int MAX_BATCH = 256;
    /**
     * How long a batch's invalidation waits at most for its commits to become visible
     * ({@link CommitVisibility}); they normally are within microseconds of being streamed.
     */
    static final long VISIBILITY_WAIT_MILLIS = 5_000;

    private final Engine engine;
    private final String url;
    private final String slot;
    private final String publication;
    /** Commits older than this when handled replace the epoch; null: never. */
    private final Duration maxLag;
    private final Thread thread;
    /** Nanos of the last epoch replacement for lag; 0: none in the current episode. */
    private long lagReplacedAt;
    private boolean behind;
    /** {@code systemid/timeline} of the server of this instance's last session; null before the first. */
    private volatile String origin;
    private volatile boolean closed;
    private volatile Connection current;
    private final CommitVisibility visibility = new CommitVisibility(1, VISIBILITY_WAIT_MILLIS);
    private volatile boolean consuming;
    /** Set while a transaction's invalidation is being delivered: closing must not interrupt it. */
    private volatile boolean invalidating;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong lagReplacements = new AtomicLong();

    /**
     * Starts consuming in the background.
     *
     * @param jdbcUrl     a pgjdbc URL of the database (user and password as URL parameters or
     *                    in it), reached as an ordinary and as a replication connection
     * @param slot        the logical replication slot's name; created if missing
     * @param publication the publication streamed; created {@code FOR ALL TABLES} if missing
     * @param maxLag      a commit handled later than this after it was made replaces the epoch;
     *                    null for never
     */
    public ChangeStream(Engine engine, String jdbcUrl, String slot, String publication, Duration maxLag) {
        this.engine = engine;
        this.maxLag = maxLag;
        this.url = jdbcUrl;
        this.slot = slot;
        this.publication = publication;
        // Its catalog resolves the stream's tables even before the application wraps anything.
        PGSimpleDataSource catalog = new PGSimpleDataSource();
        catalog.setURL(jdbcUrl);
        engine.attach(catalog);
        this.thread = new Thread(this::run, "cacheops-change-stream");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this instance holds the slot and is consuming now. */
    public boolean consuming() {
        return consuming;
    }

    /** Transactions with row changes invalidated so far. */
    public long transactions() {
        return transactions.get();
    }

    /** Row changes seen so far. */
    public long rows() {
        return rows.get();
    }

    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        // Closing the connection ends a blocked read; an interrupt would also end an invalidation
        // under way, and lose it for every other instance too.
        if (!invalidating) {
            thread.interrupt();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean quiet = false;
        while (!closed) {
            try {
                consume();
            } catch (SQLException | RuntimeException e) {
                consuming = false;
                if (closed) {
                    return;
                }
                String msg = String.valueOf(e.getMessage());
                if (msg.contains("is active for PID")) {
                    // Another instance holds the slot: normal for all but one instance.
                    log.debug("slot {} is consumed by another instance; trying again in {}", slot, RETRY);
                } else if (!quiet) {
                    log.warn("change stream from slot {} stopped ({}); trying again every {}", slot, msg, RETRY);
                    quiet = true;
                } else {
                    log.debug("change stream from slot {} still failing", slot, e);
                }
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void consume() throws SQLException {
        // Set after the URL's own parameters, which would otherwise win over these.
        PGSimpleDataSource replication = new PGSimpleDataSource();
        replication.setURL(url);
        replication.setReplication("database");
        replication.setAssumeMinServerVersion("10");
        replication.setPreferQueryMode(PreferQueryMode.SIMPLE);
        try (Connection c = replication.getConnection();
             Connection visible = DriverManager.getConnection(url)) {
            current = c;
            if (closed) {
                return;
            }
            boolean created;
            // One ordinary connection for both questions: an instance that does not hold the slot
            // asks them again every retry.
            try (Connection plain = DriverManager.getConnection(url)) {
                ensurePublication(plain);
                created = ensureSlot(plain, c);
            }
            String server = identify(c);
            if (origin != null && !origin.equals(server) && !created) {
                // The same slot on another history: a promoted standby that has the slot
                // (synchronised failover slots; a new timeline) or another cluster behind the same
                // address (another system identifier). What the old server committed after the last
                // confirmed position may never have reached this one, and cached results may show
                // it: nothing this stream will send covers them. Remembered per instance only.
                log.warn("the database behind slot {} changed (system/timeline {} -> {}): replacing the epoch",
                        slot, origin, server);
                engine.protocol().invalidateAll();
                while (engine.protocol().epochStale() && !closed) {
                    sleepQuietly(100);
                }
            }
            origin = server;
            PGReplicationStream stream = c.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().logical()
                    .withSlotName(slot)
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", publication)
                    .withStatusInterval(1, TimeUnit.SECONDS)
                    .start();
            if (created) {
                // Whatever was committed before the slot existed was never seen by anyone. Should
                // the store not answer, the protocol replaces the epoch as soon as it does (and
                // serves nothing meanwhile); consuming starts once that happened.
                engine.protocol().invalidateAll();
                while (engine.protocol().epochStale() && !closed) {
                    sleepQuietly(100);
                }
                log.info("created replication slot {}; replaced the epoch, since earlier changes are unknown", slot);
            }
            consuming = true;
            log.info("consuming the change stream of slot {} (publication {})", slot, publication);
            Transaction tx = new Transaction();
            // Committed transactions not yet invalidated: while more messages are already waiting,
            // commits are gathered and invalidated together, one store round trip for many
            // transactions, so a consumer behind a busy database catches up instead of falling
            // further behind (one round trip per transaction bounded it at a few hundred a second).
            Transaction batch = new Transaction();
            int batched = 0;
            LogSequenceNumber batchEnd = null;
            Map<Integer, PgOutput.Relation> relations = new HashMap<>();
            while (!closed) {
                ByteBuffer m = batched == 0 ? stream.read() : stream.readPending();
                if (m == null) {
                    if (batched > 0) {
                        confirm(stream, visible, batch, batchEnd);
                        batch = new Transaction();
                        batched = 0;
                        batchEnd = null;
                    }
                    continue;
                }
                PgOutput.Message msg = PgOutput.decode(m);
                if (msg instanceof PgOutput.Begin b) {
                    tx = new Transaction();
                    tx.xids.add(b.xid());
                } else if (msg instanceof PgOutput.Relation r) {
                    relations.put(r.id(), r);
                } else if (msg instanceof PgOutput.Insert i) {
                    tx.image(relations.get(i.relation()), i.row(), false);
                } else if (msg instanceof PgOutput.Update u) {
                    PgOutput.Relation r = relations.get(u.relation());
                    if (u.old() != null) {
                        // 'K': only the key columns are values, the others are sent as nulls.
                        tx.image(r, u.old(), u.keyOnly());
                    } else {
                        // The key did not change and the identity holds no other old value: the
                        // old row's image is its key, and schemes on other columns go whole.
                        tx.image(r, u.row(), true);
                    }
                    tx.image(r, u.row(), false);
                } else if (msg instanceof PgOutput.Delete d) {
                    tx.image(relations.get(d.relation()), d.old(), d.keyOnly());
                } else if (msg instanceof PgOutput.Truncate t) {
                    for (int id : t.relations()) {
                        tx.whole(relations.get(id));
                    }
                } else if (msg instanceof PgOutput.Commit cm) {
                    checkLag(cm.commitMicros());
                    LogSequenceNumber done = LogSequenceNumber.valueOf(cm.endLsn());
                    if (!tx.isEmpty()) {
                        batch.add(tx);
                        batched++;
                        batchEnd = done;
                    } else if (batched > 0) {
                        batchEnd = done;
                    } else {
                        // Nothing to invalidate and nothing waiting: this position is handled.
                        stream.setAppliedLSN(done);
                        stream.setFlushedLSN(done);
                    }
                    if (batched >= MAX_BATCH) {
                        confirm(stream, visible, batch, batchEnd);
                        batch = new Transaction();
                        batched = 0;
                        batchEnd = null;
                    }
                    tx = new Transaction();
                }
            }
        } finally {
            current = null;
            consuming = false;
        }
    }

    /**
     * Replaces the epoch when a commit is handled more than {@link #maxLag} after it was made:
     * every write of that lag (and later ones not handled yet) may be read stale meanwhile, and a
     * new epoch makes every read go to the database. While the consumer stays behind, at most once
     * a second (each replacement covers what had committed by then). Compared by the wall clock,
     * with the database server's commit time: on different hosts their skew adds to the lag.
     */
    private void checkLag(long commitMicros) {
        if (maxLag == null) {
            return;
        }
        java.time.Instant now = java.time.Instant.now();
        long lagMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000 - commitMicros;
        if (lagMicros <= maxLag.toNanos() / 1_000) {
            if (behind) {
                log.info("change stream of slot {} caught up (lag {} ms)", slot, lagMicros / 1_000);
                behind = false;
            }
            return;
        }
        long t = System.nanoTime();
        if (behind && t - lagReplacedAt < 1_000_000_000L) {
            return;
        }
        if (!behind) {
            log.warn("change stream of slot {} is {} ms behind (more than max-lag {}): replacing the epoch rather "
                    + "than serving what it has not seen yet", slot, lagMicros / 1_000, maxLag);
        }
        behind = true;
        lagReplacedAt = t;
        engine.protocol().invalidateAll();
        lagReplacements.incrementAndGet();
    }

    /** Epoch replacements because the stream was behind by more than the maximum lag. */
    public long lagReplacements() {
        return lagReplacements.get();
    }

    /**
     * Invalidates what {@code batch} gathered, once {@code visible} (an ordinary connection of
     * the session) sees its commits, then confirms {@code end}, the last gathered commit's end
     * position: only now that its invalidation is delivered (or the epoch will be replaced because
     * it was not), so a restart replays nothing it needs.
     */
    private void confirm(PGReplicationStream stream, Connection visible, Transaction batch, LogSequenceNumber end)
            throws SQLException {
        if (!visibility.await(visible, batch.xids)) {
            log.warn("change stream of slot {}: {} streamed commit(s) still not visible after {} ms; invalidating anyway",
                    slot, batch.xids.size(), VISIBILITY_WAIT_MILLIS);
        }
        batch.invalidate();
        stream.setAppliedLSN(end);
        stream.setFlushedLSN(end);
        // Told now rather than at the next status interval: the server may then recycle that
        // WAL, and monitoring sees the slot current.
        stream.forceUpdateStatus();
    }

    private void ensurePublication(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_publication where pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show wal_level")) {
                // A publication for all tables makes PostgreSQL refuse updates and deletes of every
                // table without a replica identity: never leave one behind on a server that cannot stream.
                if (rs.next() && !"logical".equals(rs.getString(1))) {
                    throw new SQLException("wal_level is " + rs.getString(1) + ", the change stream needs logical "
                            + "(publication " + publication + " not created)");
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create publication " + quote(publication) + " for all tables");
            } catch (SQLException e) {
                throw new SQLException("publication " + publication + " does not exist and cannot be created ("
                        + e.getMessage() + "); as a superuser: create publication " + quote(publication)
                        + " for all tables", e.getSQLState(), e);
            }
        }
    }

    /** {@code systemid/timeline} of the server, by the replication protocol's {@code IDENTIFY_SYSTEM}. */
    private static String identify(Connection replication) throws SQLException {
        try (Statement s = replication.createStatement(); ResultSet rs = s.executeQuery("IDENTIFY_SYSTEM")) {
            if (!rs.next()) {
                throw new SQLException("IDENTIFY_SYSTEM returned no row");
            }
            return rs.getString(1) + "/" + rs.getString(2);
        }
    }

    /** Creates the slot if it is missing; true when it had to. */
    private boolean ensureSlot(Connection c, Connection replication) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_replication_slots where slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(slot).withOutputPlugin("pgoutput").make();
        return true;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The row images and whole tables of one transaction, by table. */
    private final class Transaction {
        private final Map<String, List<Map<String, ?>>> images = new LinkedHashMap<>();
        private final Set<String> whole = new LinkedHashSet<>();
        private boolean everything;
        /** How many committed transactions were added ({@link #add}); 0 for a single one. */
        private int added;
        /** The 32-bit ids of the committed transactions gathered here. */
        private final List<Long> xids = new ArrayList<>(1);

        void image(PgOutput.Relation r, List<PgOutput.Value> values, boolean keyOnly) {
            rows.incrementAndGet();
            if (r == null) {
                everything = true;
                return;
            }
            Map<String, Object> image = new HashMap<>();
            for (int i = 0; i < values.size() && i < r.columns().size(); i++) {
                PgOutput.Column col = r.columns().get(i);
                PgOutput.Value v = values.get(i);
                if ((keyOnly && !col.key()) || v.kind() == PgOutput.Kind.UNCHANGED) {
                    continue; // unknown: the schemes that use it are invalidated whole
                }
                Object value = v.kind() == PgOutput.Kind.NULL ? null : value(col, v.text());
                if (value != UNKNOWN) {
                    image.put(col.name(), value);
                }
            }
            images.computeIfAbsent(r.schema() + "." + r.name(), t -> new ArrayList<>()).add(image);
        }

        void whole(PgOutput.Relation r) {
            if (r == null) {
                everything = true;
            } else {
                whole.add(r.schema() + "." + r.name());
            }
        }

        boolean isEmpty() {
            return images.isEmpty() && whole.isEmpty() && !everything;
        }

        /** Adds another committed transaction's images and tables to this one's. */
        void add(Transaction other) {
            other.images.forEach((table, list) -> images.computeIfAbsent(table, t -> new ArrayList<>()).addAll(list));
            whole.addAll(other.whole);
            xids.addAll(other.xids);
            everything |= other.everything;
            added += Math.max(1, other.added);
        }

        void invalidate() {
            transactions.addAndGet(Math.max(1, added));
            invalidating = true;
            try {
                deliver();
            } finally {
                invalidating = false;
            }
        }

        private void deliver() {
            if (everything) {
                // A change of a table the stream did not describe: nothing can be narrowed.
                engine.protocol().invalidateAll();
            } else {
                engine.invalidateChanges(images, whole);
            }
        }
    }

    /** Marks a value that cannot be read: its column is left out of the image. */
    private static final Object UNKNOWN = new Object();

    /**
     * A column's text value as the wrapper would have bound it, where text alone is ambiguous;
     * the engine canonicalises the rest by the column's kind, as for a literal.
     */
    private static Object value(PgOutput.Column col, String text) {
        return switch (col.typeOid()) {
            case BOOL_OID -> "t".equals(text);
            case BYTEA_OID -> text.startsWith("\\x") ? HexFormat.of().parseHex(text, 2, text.length()) : UNKNOWN;
            default -> text;
        };
    }
}
