package dev.cacheops.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the window probe judges one commit of row 1 (version 1, returned at 1,000 µs, by JVM 1)
 * from the reads it made in JVM 0 (bound 500 µs), and how windows travel between JVMs.
 */
class WindowProbeTest {
    private static final long BOUND = 500;

    /** Reads as {version, start}; each read ends 10 µs after it started. */
    private static NearWindows judge(int commitJvm, long[]... reads) {
        WindowProbe p = new WindowProbe(1);
        for (long[] r : reads) {
            p.seen(1, r[0], r[1], r[1] + 10);
        }
        return p.evaluate(List.<long[]>of(new long[] {1, 1, 1_000, commitJvm}), 0, BOUND);
    }

    @Test
    void theFirstReadAfterTheCommitSawItSoTheWindowIsZero() {
        NearWindows w = judge(1, new long[] {0, 900}, new long[] {1, 1_100});
        assertThat(w.cross().count()).isEqualTo(1);
        assertThat(w.cross().max()).isZero();
        assertThat(w.crossLate()).isZero();
    }

    @Test
    void seenBeforeTheCommitReturnedIsAWindowOfZero() {
        NearWindows w = judge(1, new long[] {1, 900}, new long[] {1, 1_100});
        assertThat(w.cross().max()).isZero();
    }

    @Test
    void aStaleReadAfterTheCommitMakesTheWindowEndWithTheFirstFreshRead() {
        NearWindows w = judge(1, new long[] {0, 900}, new long[] {0, 1_100}, new long[] {1, 1_200});
        assertThat(w.cross().max()).isEqualTo(210);
        assertThat(w.crossSeen().max()).as("lower bound: the stale read's start").isEqualTo(100);
        assertThat(w.crossLate()).isZero();
    }

    @Test
    void aStaleReadStartedPastTheBoundIsLate() {
        NearWindows w = judge(1, new long[] {0, 900}, new long[] {0, 1_600}, new long[] {1, 1_700});
        assertThat(w.cross().max()).isEqualTo(710);
        assertThat(w.crossLate()).isEqualTo(1);
    }

    @Test
    void neverSeenThoughReadPastTheBoundIsLate() {
        NearWindows w = judge(1, new long[] {0, 900}, new long[] {0, 1_700});
        assertThat(w.crossLate()).isEqualTo(1);
        assertThat(w.unobserved()).isZero();
    }

    @Test
    void neverSeenWithinTheBoundIsUnobserved() {
        NearWindows w = judge(1, new long[] {0, 900}, new long[] {0, 1_300});
        assertThat(w.unobserved()).isEqualTo(1);
        assertThat(w.cross().count()).isZero();
    }

    @Test
    void anOwnCommitReadStaleAfterItReturnedIsCountedApart() {
        NearWindows w = judge(0, new long[] {0, 900}, new long[] {0, 1_100}, new long[] {1, 1_200});
        assertThat(w.ownStale()).isEqualTo(1);
        assertThat(w.own().max()).isEqualTo(210);
        assertThat(w.cross().count()).isZero();
    }

    @Test
    void aVersionGoingBackAfterTheNewerCommitReturnedIsARegression() {
        NearWindows w = judge(1, new long[] {1, 900}, new long[] {0, 1_100});
        assertThat(w.regressions()).isEqualTo(1);
        assertThat(w.regressionsInWindow()).isZero();
    }

    @Test
    void aVersionGoingBackBeforeTheNewerCommitReturnedIsWithinRelaxedsWindow() {
        NearWindows w = judge(1, new long[] {1, 900}, new long[] {0, 950}, new long[] {1, 1_100});
        assertThat(w.regressions()).isZero();
        assertThat(w.regressionsInWindow()).isEqualTo(1);
    }

    @Test
    void histogramsKeepPercentilesAndMaximumAcrossTheirTextForm() {
        WindowHistogram h = new WindowHistogram();
        for (int i = 0; i < 98; i++) {
            h.record(0);
        }
        h.record(1_234);
        h.record(56_789);
        WindowHistogram back = WindowHistogram.parse(h.toText());
        assertThat(back.count()).isEqualTo(100);
        assertThat(back.percentile(0.5)).isZero();
        assertThat(back.percentile(0.99)).isEqualTo(1_240);
        assertThat(back.max()).isEqualTo(56_789);
        assertThat(back.percentile(1.0)).isEqualTo(56_789);
        WindowHistogram sum = WindowHistogram.merge(List.of(back, h));
        assertThat(sum.count()).isEqualTo(200);
    }

    @Test
    void theNearLineTravelsWhole() {
        NearWindows w = judge(1, new long[] {0, 900}, new long[] {0, 1_100}, new long[] {1, 1_200});
        NearWindows back = NearWindows.parse(List.of("RESULT jvm=0", w.line()));
        assertThat(back.line()).isEqualTo(w.line());
    }
}
