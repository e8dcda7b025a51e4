package dev.cacheops.engine;

import dev.cacheops.protocol.Canonical;
import dev.cacheops.sql.TableName;
import dev.cacheops.store.Keys;
import dev.cacheops.store.TableInvalidation;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The rows of other tables that {@code ON DELETE} / {@code ON UPDATE} actions change when a parent
 * row is deleted or its referenced key updated (DESIGN §4). When the delete read the child rows'
 * full images beforehand ({@link ChildImages}), they are invalidated by every scheme and their own
 * cascades follow from those images; otherwise child rows are known only by their foreign key
 * (the parent's values), so their other schemes are invalidated whole, and grandchildren are
 * invalidated whole. Not thread-safe; one per write execution.
 */
final class Cascades {
    private final TableInfo parent;
    private final Function<TableName, Optional<TableInfo>> resolve;
    private final List<TableInvalidation> out;
    /** A delete's child rows read before it, or null. */
    private final ChildImages read;

    /**
     * @param resolve resolves a child table; returns null when the catalog cannot be asked
     * @param out     where the invalidations go
     */
    Cascades(TableInfo parent, Function<TableName, Optional<TableInfo>> resolve, List<TableInvalidation> out) {
        this(parent, resolve, out, null);
    }

    /** @param read the full images of the children of a delete's parent rows, or null */
    Cascades(TableInfo parent, Function<TableName, Optional<TableInfo>> resolve, List<TableInvalidation> out,
             ChildImages read) {
        this.parent = parent;
        this.resolve = resolve;
        this.out = out;
        this.read = read;
    }

    /**
     * Children of the parent rows in {@code images}.
     *
     * @param delete  true for a delete, false for an update
     * @param assigns for an update: whether it assigns a (stored) column of the parent
     */
    void of(List<Map<String, Object>> images, boolean delete, Predicate<String> assigns) {
        for (int i = 0; i < parent.children().size(); i++) {
            TableInfo.ChildKey k = parent.children().get(i);
            int rule = delete ? k.onDelete() : k.onUpdate();
            if (!Catalog.changesChildren(rule) || !delete && k.parentColumns().stream().noneMatch(assigns)) {
                continue;
            }
            ChildImages.Node node = delete && read != null ? read.child(i) : null;
            if (node != null) {
                fullImages(k, rule, node);
                continue;
            }
            List<Map<String, String>> childRows = childRows(k, images, rule);
            TableInfo child = resolved(k.childSchema(), k.child());
            if (childRows == null || rule == DatabaseMetaData.importedKeySetDefault || child == null) {
                out.add(TableInvalidation.wholeTable(Keys.escape(k.childCanonical())));
                if (child != null) {
                    wholeTableWithChildren(child, new LinkedHashSet<>(List.of(parent.canonical())));
                }
                continue;
            }
            out.add(new TableInvalidation(Keys.escape(k.childCanonical()), false, childRows));
            // Grandchildren reference the child's own keys, which the FK images do not carry.
            for (TableInfo.ChildKey gk : child.children()) {
                out.add(TableInvalidation.wholeTable(Keys.escape(gk.childCanonical())));
                TableInfo g = resolved(gk.childSchema(), gk.child());
                if (g != null) {
                    wholeTableWithChildren(g, new LinkedHashSet<>(List.of(parent.canonical(), child.canonical())));
                }
            }
        }
    }

    /**
     * Children read whole before a delete: {@code CASCADE} deletes those rows (their old images,
     * then their own children, recursively); {@code SET NULL} updates their foreign key (old and
     * new images, then their children as after a key update of theirs).
     */
    private void fullImages(TableInfo.ChildKey k, int rule, ChildImages.Node node) {
        TableInfo child = node.table();
        List<Map<String, Object>> images = new ArrayList<>(node.rows());
        if (rule == DatabaseMetaData.importedKeySetNull) {
            for (Map<String, Object> old : node.rows()) {
                Map<String, Object> nulled = new HashMap<>(old);
                k.childColumns().forEach(c -> nulled.put(c, null));
                images.add(nulled);
            }
        }
        if (images.isEmpty()) {
            return;
        }
        out.add(new TableInvalidation(Keys.escape(child.canonical()), false,
                WriteExecution.canonicalImages(child, images)));
        if (rule == DatabaseMetaData.importedKeyCascade) {
            new Cascades(child, resolve, out, node.children()).of(node.rows(), true, c -> false);
        } else {
            new Cascades(child, resolve, out).of(images, false, k.childColumns()::contains);
        }
    }

    /** The child images (FK columns only), or null when a parent value is unknown. */
    private List<Map<String, String>> childRows(TableInfo.ChildKey k, List<Map<String, Object>> images, int rule) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, Object> image : images) {
            Map<String, String> child = new HashMap<>();
            for (int i = 0; i < k.parentColumns().size(); i++) {
                String parentCol = k.parentColumns().get(i);
                TableInfo.Column pc = parent.columns().get(parentCol);
                String v = pc == null || !image.containsKey(parentCol) ? null : Written.canonical(pc, image.get(parentCol));
                if (v == null) {
                    return null;
                }
                child.put(Keys.escape(k.childColumns().get(i)), Keys.escape(v));
            }
            rows.add(child);
            if (rule == DatabaseMetaData.importedKeySetNull) {
                Map<String, String> nulls = new HashMap<>();
                k.childColumns().forEach(c -> nulls.put(Keys.escape(c), Keys.escape(Canonical.NULL)));
                rows.add(nulls);
            }
        }
        return rows;
    }

    /** Every scheme of {@code t} and, recursively, of the tables its rows cascade to. */
    void wholeTableWithChildren(TableInfo t, Set<String> seen) {
        if (!seen.add(t.canonical())) {
            return;
        }
        out.add(TableInvalidation.wholeTable(Keys.escape(t.canonical())));
        for (TableInfo.ChildKey k : t.children()) {
            TableInfo c = resolved(k.childSchema(), k.child());
            if (c == null) {
                out.add(TableInvalidation.wholeTable(Keys.escape(k.childCanonical())));
            } else {
                wholeTableWithChildren(c, seen);
            }
        }
    }

    private TableInfo resolved(String schema, String name) {
        Optional<TableInfo> t = resolve.apply(new TableName(schema, name));
        return t == null ? null : t.orElse(null);
    }
}
