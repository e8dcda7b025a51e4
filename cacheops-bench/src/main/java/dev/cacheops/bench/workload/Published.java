package dev.cacheops.bench.workload;

import dev.cacheops.bench.fixture.Fixtures;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What writers have committed, published only after their commit returned: each post's version
 * and its number of comments. Both only grow, so a reader that notes them before it starts can
 * call any smaller served value stale, and can never be wrong about it. Thread-safe.
 */
final class Published {
    private final AtomicIntegerArray versions = new AtomicIntegerArray(Fixtures.POSTS + 1);
    private final AtomicIntegerArray comments = new AtomicIntegerArray(Fixtures.POSTS + 1);

    /** The state of freshly restored fixtures: version 0, ten comments per post. */
    Published() {
        for (int i = 1; i <= Fixtures.POSTS; i++) {
            comments.set(i, Fixtures.COMMENTS_PER_POST);
        }
    }

    int version(long post) {
        return versions.get((int) post);
    }

    int comments(long post) {
        return comments.get((int) post);
    }

    /** Call after the commit that gave {@code post} this version returned. */
    void committedVersion(long post, int version) {
        versions.accumulateAndGet((int) post, version, Math::max);
    }

    /** Call after the commit that inserted one comment on {@code post} returned. */
    void committedComment(long post) {
        comments.incrementAndGet((int) post);
    }
}
