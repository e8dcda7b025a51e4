package dev.cacheops.compat.blog;

/** Stored as its name ({@code EnumType.STRING}). */
public enum PostStatus {
    DRAFT, PUBLISHED, ARCHIVED
}
