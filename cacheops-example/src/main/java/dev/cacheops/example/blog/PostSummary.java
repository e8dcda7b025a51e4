package dev.cacheops.example.blog;

/**
 * A post in a list, as the API returns it.
 *
 * @param id       the post's id
 * @param title    its title
 * @param category its category's slug
 */
public record PostSummary(long id, String title, String category) {
    static PostSummary of(Post p) {
        return new PostSummary(p.getId(), p.getTitle(), p.getCategory().getName());
    }
}
