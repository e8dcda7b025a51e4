package dev.cacheops.sql;

/**
 * One table a read depends on, with the conditions that narrow which of its rows matter. A table
 * read in several places of one statement (self-join, subquery) appears once, its DNFs united.
 */
public record TableRead(TableName table, Dnf dnf) { }
