package dev.cacheops.example.blog;

import java.util.List;

/**
 * One post with its comments, as the API returns it.
 *
 * @param id       the post's id
 * @param title    its title
 * @param body     its text
 * @param category its category's slug
 * @param comments its comments, oldest first
 */
public record PostDetail(long id, String title, String body, String category, List<CommentView> comments) {

    /**
     * A comment as the API returns it.
     *
     * @param author who wrote it
     * @param text   what they wrote
     */
    public record CommentView(String author, String text) {
    }
}
