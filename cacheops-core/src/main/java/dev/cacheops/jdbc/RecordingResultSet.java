package dev.cacheops.jdbc;

import dev.cacheops.result.ResultRecorder;
import dev.cacheops.result.ResultSnapshot;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * The driver's result on a cache miss, recording each row as the caller moves past it. When the
 * result is exhausted within the limits, the snapshot is handed to {@code onComplete} (which
 * stores it asynchronously). Rows beyond the limits stream through unrecorded: nothing is buffered
 * past them. If the caller closes early, the rest is read (up to the row limit) so the result can
 * still be cached.
 */
final class RecordingResultSet extends OwnedResultSet {
    private final ResultRecorder recorder;
    private final int maxRows;
    private final Consumer<ResultSnapshot> onComplete;
    private final Runnable notStorable;
    private boolean done;

    /**
     * @param notStorable called once when the result turns out too large or of a type the codec
     *                    cannot keep
     */
    RecordingResultSet(ResultSet delegate, Statement owner, ResultRecorder recorder, int maxRows,
                       Consumer<ResultSnapshot> onComplete, Runnable notStorable) {
        super(delegate, owner);
        this.recorder = recorder;
        this.maxRows = maxRows;
        this.onComplete = onComplete;
        this.notStorable = notStorable;
    }

    @Override
    public boolean next() throws SQLException {
        boolean more = delegate.next();
        if (!done) {
            if (more) {
                recorder.record(delegate);
                if (!recorder.recording()) {
                    done = true;
                    notStorable.run();
                }
            } else {
                complete();
            }
        }
        return more;
    }

    // Moving other than forward would record rows out of order: give up caching this result.

    @Override
    public boolean absolute(int row) throws SQLException {
        done = true;
        return delegate.absolute(row);
    }

    @Override
    public boolean relative(int rows) throws SQLException {
        done = true;
        return delegate.relative(rows);
    }

    @Override
    public boolean previous() throws SQLException {
        done = true;
        return delegate.previous();
    }

    @Override
    public boolean first() throws SQLException {
        done = true;
        return delegate.first();
    }

    @Override
    public boolean last() throws SQLException {
        done = true;
        return delegate.last();
    }

    @Override
    public void beforeFirst() throws SQLException {
        done = true;
        delegate.beforeFirst();
    }

    @Override
    public void afterLast() throws SQLException {
        done = true;
        delegate.afterLast();
    }

    private void complete() {
        done = true;
        if (recorder.recording()) {
            try {
                onComplete.accept(recorder.snapshot());
            } catch (RuntimeException e) {
                // Caching is best effort; the caller already has its rows.
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            if (!done && !delegate.isClosed() && delegate.getType() == ResultSet.TYPE_FORWARD_ONLY) {
                int budget = maxRows;
                while (!done && budget-- >= 0) {
                    if (delegate.next()) {
                        recorder.record(delegate);
                        if (!recorder.recording()) {
                            done = true;
                            notStorable.run();
                        }
                    } else {
                        complete();
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            done = true; // not cached; the close below still happens
        } finally {
            delegate.close();
        }
    }
}
