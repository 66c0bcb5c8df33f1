package wgangp.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's driver in a JVM of its own, its console going to a file, so that a test can watch it and
 * kill it with SIGKILL the way a crashed machine would stop it: no shutdown hook, no finally block.
 */
final class DriverJvm implements AutoCloseable {
    /** The line the train command prints once the run directory is prepared and training starts. */
    static final Pattern TRAINING = Pattern.compile("training \\d+ generator steps \\((from scratch|from (step-\\d+))\\)");

    private final Process process;
    private final Path log;
    private final Instant started;

    private DriverJvm(Process process, Path log, Instant started) {
        this.process = process;
        this.log = log;
        this.started = started;
    }

    /** Starts {@code command} with {@code env} added to this JVM's environment, stdout and stderr into {@code log}. */
    static DriverJvm start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Instant started = Instant.now();
        return new DriverJvm(pb.start(), log, started);
    }

    /**
     * {@code java ... WganGpJob jobArgs} on {@code master}, with this project's classes and runtime
     * classpath, Spark's scratch space under {@code work}, and the tests' logging.
     */
    static DriverJvm job(Path work, String master, List<String> jobArgs, Path log) throws IOException {
        Path sparkLocal = Files.createDirectories(work.resolve("spark-local"));
        List<String> cmd = new ArrayList<>(List.of("-Xmx1g", "-Dspark.master=" + master, "-Dspark.ui.enabled=false",
                "-Dspark.local.dir=" + sparkLocal, "-Djava.io.tmpdir=" + sparkLocal,
                "-Dlog4j2.configurationFile=" + SparkSubmitProcess.TEST_LOG_CONFIG,
                "-cp", Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator
                        + Files.readString(Path.of("target/classpath.txt")).trim(),
                "WganGpJob"));
        cmd.addAll(jobArgs);
        return start(java(cmd), Map.of("OMP_NUM_THREADS", "1"), log);
    }

    /** {@code java} with this JVM's module openings (surefire's argLine), then {@code rest}. */
    static List<String> java(List<String> rest) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(SparkSubmitProcess.addOpens());
        cmd.addAll(rest);
        return cmd;
    }

    Process process() {
        return process;
    }

    Instant started() {
        return started;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    String tail() throws IOException {
        return SparkSubmitProcess.tail(log, 80);
    }

    /** {@link #tail}, or why there is none: for assertion messages. */
    String tailOrNote() {
        try {
            return tail();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The first match of {@code pattern} in the log; fails if the driver exits or {@code timeout} passes first. */
    Matcher awaitLog(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        Matcher[] found = new Matcher[1];
        awaitWhileAlive(() -> {
            try {
                Matcher m = pattern.matcher(log());
                if (m.find()) {
                    found[0] = m;
                    return true;
                }
                return false;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, timeout, "the log to show " + pattern);
        return found[0];
    }

    /** Polls {@code condition} every 10 ms; fails if the driver exits or {@code timeout} passes first. */
    void awaitWhileAlive(BooleanSupplier condition, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("the driver exited with " + process.exitValue() + " while waiting for "
                        + what + "; log:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; log:\n" + tail());
            }
            Thread.sleep(10);
        }
    }

    /** Sends {@code signal} (INT, TERM, ...) to the driver's whole process group, as a terminal sends Ctrl-C. */
    void signalGroup(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + process.pid()).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -s " + signal + " -- -" + process.pid() + " failed");
        }
    }

    /** SIGKILL (what {@link Process#destroyForcibly} sends on Linux), then waits until the JVM is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the driver survived SIGKILL for 30 s");
        }
    }

    /** The exit code; fails with the log's tail if the driver runs longer than {@code timeout}. */
    int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the driver did not finish in " + timeout.toSeconds() + " s; log:\n" + tail());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        // Executor JVMs of a local-cluster master are this driver's children.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            kill();
        }
    }
}
