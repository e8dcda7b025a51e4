package dev.cacheops.stress;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM forked from this one with the same class path ({@code java.class.path}) and the same
 * {@code java} binary, its output captured in a file. Always {@link #close()} it: a child that did
 * not end is killed (by its own pid, nothing else).
 */
public final class JvmFork implements AutoCloseable {
    private final Process process;
    private final Path output;

    private JvmFork(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code mainClass} with JVM options and arguments; stdout and stderr go to {@code output}.
     */
    public static JvmFork start(Class<?> mainClass, List<String> jvmOptions, List<String> args, Path output)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new JvmFork(p, output);
    }

    /**
     * Waits (bounded) for the child to end and returns its exit code.
     *
     * @throws IllegalStateException when it did not end in time (it is killed)
     */
    public int await(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("forked JVM " + process.pid() + " did not end within " + timeoutMillis
                    + " ms; output in " + output);
        }
        return process.exitValue();
    }

    /** The child's output lines so far. */
    public List<String> lines() throws IOException {
        return Files.readAllLines(output, StandardCharsets.UTF_8);
    }

    public File outputFile() {
        return output.toFile();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
