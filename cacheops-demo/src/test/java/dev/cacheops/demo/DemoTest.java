package dev.cacheops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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

    /** Without --jdbc-url the demo starts its own H2 TCP server and reports the three figures. */
    @Test
    void defaultRunsAgainstItsOwnH2ServerOverTcp() {
        Demo demo = new Demo();
        StringWriter out = new StringWriter();
        int exit = new CommandLine(demo).setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
                .execute("--operations", "1000", "--warmup", "0", "--posts", "200");
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("jdbc:h2:tcp://127.0.0.1:", "crosses a loopback socket",
                "speedup ", "statements saved ", "hit ratio ");
    }
}
