package dev.cacheops.spring.boot.jpa;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Transactional article writes for the repository tests. */
@Service
public class ArticleService {
    private final ArticleRepository articles;

    public ArticleService(ArticleRepository articles) {
        this.articles = articles;
    }

    /** Retitles in its own transaction, committed when this returns, whatever the caller's does. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void retitleInNewTransaction(long id, String title) {
        articles.findById(id).orElseThrow().setTitle(title);
    }

    /** Adds a comment through the article's collection (persisted by the cascade). */
    @Transactional
    public void comment(long id, String body) {
        articles.findById(id).orElseThrow().comment(body);
    }

    /** Removes the article's first comment from its collection (orphan removal deletes it). */
    @Transactional
    public void removeFirstComment(long id) {
        articles.findById(id).orElseThrow().getComments().remove(0);
    }
}
