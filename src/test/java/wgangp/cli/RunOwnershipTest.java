package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wgangp.io.Json;
import wgangp.io.RunDirectory;
import wgangp.io.RunLock;
import wgangp.train.States;
import wgangp.train.TrainingState;

/**
 * One driver per run directory, on the local file system and on HDFS: a second train is refused
 * while the first one is live and leaves it unaffected; the lock of a driver killed with SIGKILL
 * is taken over by --resume. The first driver runs in a JVM of its own on {@code local[1]}; the
 * second in this JVM.
 */
@Tag("integration")
@ExtendWith(LocalSparkMaster.class)
class RunOwnershipTest {
    private static final int FREQUENCY = 4;
    private static final int TOTAL = 96;
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;
    static MiniHdfs hdfs;
    /** Where every run of these tests must end, computed once without Spark. */
    static TrainingState expected;

    @BeforeAll
    static void startHdfsAndComputeTheExpectedState() throws Exception {
        hdfs = MiniHdfs.withTrainingImages(tmp.resolve("dfs"));
        expected = TrainingRuns.expected(TrainingRuns.config(Map.of("workers", "2", "parallelism", "averaging",
                "averagingFrequency", "" + FREQUENCY)), TOTAL);
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "hdfs"})
    void aSecondDriverIsRefusedWhileTheFirstTrainsOn(String fileSystem) throws Exception {
        String out = runUri(fileSystem, "two-drivers");
        try (DriverJvm first = DriverJvm.job(tmp, "local[1]", List.of(args(fileSystem, out)),
                tmp.resolve(fileSystem + "-first.log"))) {
            first.awaitLog(DriverJvm.TRAINING, START);
            RunLock.Owner owner = lockOf(out).owner();
            assertEquals(first.process().pid(), owner.pid());

            for (List<String> extra : List.of(List.<String>of(), List.of("--resume"))) {
                List<String> second = new ArrayList<>(Arrays.asList(args(fileSystem, out)));
                second.addAll(extra);
                Captured refused = run(second.toArray(String[]::new));
                assertEquals(ExitCodes.RUN_DIRECTORY_EXISTS, refused.code(), refused.err());
                List<String> errors = refused.err().lines().filter(l -> l.startsWith("error: ")).toList();
                assertEquals(1, errors.size(), refused.err());
                assertTrue(errors.get(0).contains("is in use by application " + owner.applicationId() + " on host "
                        + owner.host() + " (pid " + owner.pid() + "), last seen "), errors.get(0));
                assertFalse(refused.err().contains("removed "), "the refused driver cleaned nothing up");
                assertEquals(owner, lockOf(out).owner(), "the lock is still the first driver's");
            }
            assertTrue(first.isAlive(), "the first driver was still training during the refusals");
            assertEquals(ExitCodes.OK, first.awaitExit(START), first::tailOrNote);
        }
        assertTrue(RunLock.read(run(out), Instant.now()).isEmpty(), "released at the end");
        assertUninterrupted(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "hdfs"})
    void theLockOfAKilledDriverIsTakenOverByResumeOn(String fileSystem) throws Exception {
        String out = runUri(fileSystem, "killed");
        long killedPid;
        try (DriverJvm driver = DriverJvm.job(tmp, "local[1]", List.of(args(fileSystem, out)),
                tmp.resolve(fileSystem + "-killed.log"))) {
            driver.awaitLog(DriverJvm.TRAINING, START);
            driver.awaitWhileAlive(() -> checkpointed(out), START, "a first checkpoint");
            killedPid = driver.process().pid();
            driver.kill();
        }
        RunLock.Status left = RunLock.read(run(out), Instant.now()).orElseThrow(() -> new AssertionError("no lock left"));
        assertEquals(killedPid, left.owner().pid());
        assertEquals(RunLock.State.ENDED, left.state(), "its process is gone from this host");

        Captured resumed = run("train", "--out", out, "--resume");
        assertEquals(ExitCodes.OK, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("warning: taking over " + run(out).root() + " from application "
                + left.owner().applicationId() + " on host " + left.owner().host() + " (pid " + killedPid
                + "), last seen "), resumed.err());
        assertTrue(resumed.err().contains("its process has ended"), resumed.err());
        assertTrue(RunLock.read(run(out), Instant.now()).isEmpty(), "released at the end");
        assertUninterrupted(out);
    }

    /** The run's final state is that of a run nobody disturbed, and metrics.jsonl has every round. */
    private static void assertUninterrupted(String out) throws IOException {
        assertTrue(States.sameValues(expected, TrainingRuns.latest(out, new Configuration()).state()));
        RunDirectory run = run(out);
        List<Long> steps = run.readText(RunDirectory.METRICS).lines()
                .map(l -> Json.parse(l, "metrics").get("step").asLong()).toList();
        List<Long> every = new ArrayList<>();
        for (long s = FREQUENCY; s <= TOTAL; s += FREQUENCY) {
            every.add(s);
        }
        assertEquals(every, steps, "one metrics line per round, none lost");
    }

    private static String[] args(String fileSystem, String out) {
        String[] args = TrainingRuns.args(out, "--workers", "2", "--parallelism", "averaging", "--averaging-frequency", "" + FREQUENCY,
                "--sample-interval", "8", "--checkpoint-interval", "8", "--keep-checkpoints", "2",
                "--max-critic-iters", "" + TOTAL * 5);
        if (fileSystem.equals("hdfs")) {
            args[Arrays.asList(args).indexOf(TrainingRuns.DATA)] = hdfs.uri() + MiniHdfs.DATA;
        }
        return args;
    }

    private static String runUri(String fileSystem, String name) {
        return fileSystem.equals("hdfs") ? hdfs.uri() + "/runs/" + name : tmp.resolve(name).toUri().toString();
    }

    private static RunDirectory run(String out) throws IOException {
        return RunDirectory.at(out, new Configuration());
    }

    private static RunLock.Status lockOf(String out) throws IOException {
        return RunLock.read(run(out), Instant.now()).orElseThrow(() -> new AssertionError("no lock in " + out));
    }

    private static boolean checkpointed(String out) {
        try {
            RunDirectory run = run(out);
            FileSystem fs = run.fs();
            return fs.exists(new org.apache.hadoop.fs.Path(run.checkpoints().dir(), "latest"));
        } catch (IOException e) {
            return false;
        }
    }

    record Captured(int code, String err) {
    }

    /**
     * Main.run in this JVM, with what it prints to stderr, picocli's and the command's own
     * (System.err), captured together.
     */
    private static Captured run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(capture, true), args);
        } finally {
            System.setErr(original);
        }
        String err = bytes.toString(StandardCharsets.UTF_8);
        original.print(err);
        return new Captured(code, err);
    }
}
