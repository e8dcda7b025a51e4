package dev.cacheops.result;

import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL differential test again with the JVM (and so the session) in a zone with a
 * half-hour offset, where calendars, {@code timestamptz} text and the java.sql temporals all
 * depend on the zone.
 */
class ResultReplayOtherZoneIT extends ResultReplayIT {
    private static TimeZone original;

    @BeforeAll
    static void moveToKolkata() {
        original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    }

    @AfterAll
    static void moveBack() {
        TimeZone.setDefault(original);
    }
}
