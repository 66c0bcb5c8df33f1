package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Checkpoints;
import wgangp.io.RunDirectory;

/**
 * train through submit.sh stopped by SIGINT (Ctrl-C: the terminal signals the whole foreground
 * process group) and by SIGTERM ({@code kill PID}) mid-run: the exit code of the signal, one line
 * saying where the run stands and how to continue, the lock released, no stack trace and nothing
 * partial; then the command that line gives ends the run byte-identical to an uninterrupted one.
 *
 * <p>submit.sh runs from a copy of the project's layout (the script, pom.xml, conf/ and a target/
 * with the thin jar made from target/classes and the runtime classpath), so that it neither
 * needs nor starts a package build during the tests.
 */
@Tag("integration")
@ExtendWith(LocalSparkMaster.class)
class DriverInterruptTest {
    private static final int FREQUENCY = 4;
    private static final int TOTAL = 240;
    private static final String[] RUN = {"--workers", "2", "--parallelism", "averaging", "--averaging-frequency", "" + FREQUENCY,
        "--sample-interval", "" + FREQUENCY, "--checkpoint-interval", "40", "--keep-checkpoints", "2",
        "--max-critic-iters", "" + TOTAL * 5};
    private static final Pattern STOPPED = Pattern.compile("(?m)^stopped by (SIG\\w+) at step (\\d+) of " + TOTAL
            + "; newest complete checkpoint: (\\S+); resume with: (.+)$");
    private static final Duration START = Duration.ofSeconds(120);
    private static final int LONG_ROUND = 60;
    private static final Pattern FIRST_STOP_ANSWERED = Pattern.compile("(?m)^SIGINT: stopping after the round in flight");

    @TempDir
    static Path tmp;
    static Path reference;
    static Path app;

    @BeforeAll
    static void uninterruptedRunAndSubmitLayout() throws Exception {
        reference = tmp.resolve("reference");
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(reference.toString(), RUN)));
        app = tmp.resolve("app");
        Files.createDirectories(app.resolve("target"));
        Files.copy(Path.of("submit.sh"), app.resolve("submit.sh"));
        Files.copy(Path.of("pom.xml"), app.resolve("pom.xml"));
        Files.createDirectories(app.resolve("conf"));
        Files.copy(Path.of("conf/log4j2.properties"), app.resolve("conf/log4j2.properties"));
        Files.copy(Path.of("target/classpath.txt"), app.resolve("target/classpath.txt"));
        Matcher version = Pattern.compile("(?m)^version=\"([^\"]+)\"").matcher(Files.readString(Path.of("submit.sh")));
        assertTrue(version.find(), "submit.sh names the jar's version");
        SparkSubmitProcess.classesJar(app.resolve("target/spark-wgan-gp-" + version.group(1) + ".jar"));
    }

    @Test
    void ctrlCStopsAfterTheRoundInFlightAndResumeEndsAsUninterrupted() throws Exception {
        stopResumeAndCompare("INT", ExitCodes.INTERRUPTED, tmp.resolve("interrupted"));
    }

    @Test
    void sigtermStopsAfterTheRoundInFlightAndResumeEndsAsUninterrupted() throws Exception {
        stopResumeAndCompare("TERM", ExitCodes.TERMINATED, tmp.resolve("terminated"));
    }

    @Test
    void aSecondCtrlCStopsAtOnceAndReleasesTheLock() throws Exception {
        Path run = tmp.resolve("stopped-at-once");
        List<String> train = new ArrayList<>(List.of("--master", "local[1]"));
        // Rounds of several seconds: the second Ctrl-C must reach the driver while the round the
        // first one let finish is still in flight. It is sent only once the driver has answered the
        // first, because the kernel merges a signal sent while the same one is still pending.
        train.addAll(List.of(TrainingRuns.args(run.toString(), "--workers", "2", "--parallelism", "averaging",
                "--averaging-frequency", "" + LONG_ROUND, "--sample-interval", "" + LONG_ROUND, "--max-critic-iters", "" + TOTAL * 5)));
        try (DriverJvm driver = submit(train, tmp.resolve("twice.log"))) {
            driver.awaitLog(DriverJvm.TRAINING, START);
            driver.awaitWhileAlive(() -> !gridsAfter(run, LONG_ROUND - 1).isEmpty(), START,
                    "the grid of step " + LONG_ROUND);
            driver.signalGroup("INT");
            driver.awaitLog(FIRST_STOP_ANSWERED, START);
            driver.signalGroup("INT");
            assertEquals(ExitCodes.INTERRUPTED, driver.awaitExit(Duration.ofSeconds(30)), driver::tailOrNote);
            String console = driver.log();
            List<String> lines = console.lines().filter(l -> l.startsWith("stopped ")).toList();
            assertEquals(1, lines.size(), console);
            assertTrue(lines.get(0).startsWith("stopped at once by a second SIGINT after step "), lines.get(0));
            assertTrue(lines.get(0).endsWith(" train --out file:" + run + " --resume"), lines.get(0));
            assertFalse(console.contains("\tat ") || console.contains("Exception"), "no stack trace:\n" + console);
        }
        assertFalse(Files.exists(run.resolve(RunDirectory.LOCK)), "lock released");
    }

    private void stopResumeAndCompare(String signal, int exitCode, Path run) throws Exception {
        List<String> train = new ArrayList<>(List.of("--master", "local[1]"));
        train.addAll(List.of(TrainingRuns.args(run.toString(), RUN)));
        String console;
        try (DriverJvm driver = submit(train, tmp.resolve(signal + ".log"))) {
            driver.awaitLog(DriverJvm.TRAINING, START);
            driver.awaitWhileAlive(() -> Files.exists(run.resolve("samples").resolve("000_0000012.png")), START,
                    "the grid of step 12");
            if (signal.equals("INT")) {
                driver.signalGroup("INT");
            } else {
                // What kill PID sends: submit.sh's process is the driver's JVM itself.
                driver.process().destroy();
            }
            assertEquals(exitCode, driver.awaitExit(START), driver::tailOrNote);
            console = driver.log();
        }
        List<String> lines = console.lines().filter(l -> l.startsWith("stopped ")).toList();
        assertEquals(1, lines.size(), console);
        Matcher m = STOPPED.matcher(console);
        assertTrue(m.find(), console);
        assertEquals("SIG" + signal, m.group(1));
        long step = Long.parseLong(m.group(2));
        assertTrue(step >= 12 && step < TOTAL && step % FREQUENCY == 0, "stopped at a round's end, early: " + step);
        assertFalse(console.contains("\tat ") || console.contains("Exception"), "no stack trace:\n" + console);

        // The round reached is written, nothing else: the checkpoint named, metrics up to it, no temporary files.
        assertEquals("file:" + run.resolve("checkpoints").resolve(Checkpoints.name(step)), m.group(3));
        assertEquals(Checkpoints.name(step), Files.readString(run.resolve("checkpoints/latest")).trim());
        List<String> metrics = TrainingRuns.lossesByStep(run);
        assertTrue(metrics.get(metrics.size() - 1).startsWith(step + " "), metrics.get(metrics.size() - 1));
        assertEquals(TrainingRuns.lossesByStep(reference).subList(0, metrics.size()), metrics);
        assertFalse(Files.exists(run.resolve(RunDirectory.LOCK)), "lock released");
        assertEquals(List.of(), TrainingRuns.leftovers(run));
        assertEquals(List.of(), gridsAfter(run, step), "no grid of a round after the one reached");

        // The resume command exactly as printed, through a shell.
        String resume = m.group(4);
        assertTrue(resume.startsWith(app.resolve("submit.sh") + " --master local\\[1\\] train --out "), resume);
        try (DriverJvm resumed = DriverJvm.start(List.of("bash", "-c", resume), Map.of("OMP_NUM_THREADS", "1"),
                tmp.resolve(signal + "-resume.log"))) {
            assertEquals(ExitCodes.OK, resumed.awaitExit(START), resumed::tailOrNote);
            assertTrue(resumed.log().contains("training " + (TOTAL - step) + " generator steps (from "
                    + Checkpoints.name(step) + ")"), resumed.tailOrNote());
        }
        TrainingRuns.assertSameAsUninterrupted(reference, run, TOTAL);
    }

    /** submit.sh in a session of its own, so that its process group is the driver's alone. */
    private static DriverJvm submit(List<String> args, Path log) throws IOException {
        // env resets SIGINT and SIGTERM to their defaults, as an interactive shell leaves them for its
        // foreground jobs: a test JVM started in the background may have inherited SIGINT ignored.
        List<String> cmd = new ArrayList<>(List.of("setsid", "env", "--default-signal=INT,TERM",
                app.resolve("submit.sh").toString()));
        cmd.addAll(args);
        return DriverJvm.start(cmd, Map.of("OMP_NUM_THREADS", "1"), log);
    }

    /** The grids of steps after {@code step}; none while samples/ does not exist yet. */
    private static List<String> gridsAfter(Path run, long step) {
        if (!Files.isDirectory(run.resolve("samples"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run.resolve("samples"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+_\\d+\\.png"))
                    .filter(n -> Long.parseLong(n.substring(n.indexOf('_') + 1, n.indexOf('.'))) > step).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
