package dev.cacheops.demo;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo on embedded H2 with the in-process store. */
class DemoTest extends DemoContract {

    @Override
    List<String> storeOptions() {
        return List.of();
    }

    @Test
    void runsCorrectlyAndSavesStatementsInProcess() {
        runsCorrectlyAndSavesStatements();
    }
}
