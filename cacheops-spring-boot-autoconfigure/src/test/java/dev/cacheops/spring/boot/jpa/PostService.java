package dev.cacheops.spring.boot.jpa;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Transactional writes for the tests: commit, rollback, REQUIRES_NEW. */
@Service
public class PostService {
    private final PostRepository posts;

    public PostService(PostRepository posts) {
        this.posts = posts;
    }

    /** Renames and commits. */
    @Transactional
    public void rename(long id, String title) {
        posts.findById(id).orElseThrow().setTitle(title);
    }

    /** Renames, flushes the update to the database, then fails: rolled back. */
    @Transactional
    public void renameThenFail(long id, String title) {
        posts.findById(id).orElseThrow().setTitle(title);
        posts.flush();
        throw new IllegalStateException("rolled back on purpose");
    }

    /** Renames in its own transaction, committed when this returns, whatever the caller's does. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void renameInNewTransaction(long id, String title) {
        posts.findById(id).orElseThrow().setTitle(title);
    }
}
