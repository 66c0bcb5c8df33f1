package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.io.Manifest;
import wgangp.io.RunDirectory;

/**
 * The driver killed with SIGKILL at random moments of training, each time continued with
 * {@code --resume}, must end exactly where an uninterrupted run of the same config ends, lose at
 * most one checkpoint interval of work per kill, and never resume from a torn checkpoint. The last
 * kill is aimed at the moment a checkpoint write begins (the output says whether it left the
 * unfinished checkpoint directory behind). The kill moments come from a seeded random generator
 * ({@code -Dwgangp.faults.seed=N} picks another sequence) and are printed to the test's output.
 */
@Tag("integration")
@ExtendWith(LocalSparkMaster.class)
class DriverKillResumeTest {
    private static final long SEED = Long.getLong("wgangp.faults.seed", 20_250_611L);
    private static final int FREQUENCY = 4;
    private static final int CHECKPOINT_INTERVAL = 8;
    private static final int TOTAL = 48;
    private static final int KILLS = 3;
    private static final String[] RUN = {"--workers", "2", "--segment-steps", "" + FREQUENCY,
        "--sample-interval", "" + FREQUENCY, "--checkpoint-interval", "" + CHECKPOINT_INTERVAL,
        "--max-critic-iters", "" + TOTAL * 5};
    private static final Pattern GRID = Pattern.compile("\\d+_(\\d+)\\.png");
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    /** One driver that was killed: the step it resumed from, the last round it reported, what it left. */
    record Attempt(int number, long from, long target, int delayMillis, long reached, List<String> unfinished) {
    }

    @Test
    void killedDriversResumeToTheWeightsOfAnUninterruptedRun() throws Exception {
        long t0 = System.nanoTime();
        Path reference = tmp.resolve("reference");
        assertEquals(ExitCodes.OK, Main.run(LocalSparkTrainingTest.concat(TrainingRuns.args(reference.toString(), RUN),
                "--keep-checkpoints", "0")));
        double roundSeconds = medianRoundSeconds(reference);
        Path run = tmp.resolve("run");
        Random random = new Random(SEED);
        System.out.printf("uninterrupted run: %.1f s, rounds of %.3f s; kill moments from seed %d%n",
                (System.nanoTime() - t0) / 1e9, roundSeconds, SEED);

        List<Attempt> attempts = new ArrayList<>();
        long previousReached = 0;
        long previousFrom = 0;
        for (int k = 1; k <= KILLS; k++) {
            Map<String, Boolean> complete = completeness(run, reference);
            List<String> args = k == 1
                    ? List.of(LocalSparkTrainingTest.concat(TrainingRuns.args(run.toString(), RUN),
                            "--keep-checkpoints", "2"))
                    : List.of("train", "--out", run.toString(), "--resume");
            try (DriverJvm driver = DriverJvm.job(tmp, "local[2]", args, tmp.resolve("driver-" + k + ".log"))) {
                long from = resumedFrom(driver, complete, previousFrom, previousReached);
                // Kill at a random moment of a random round among the next few, early enough that the run
                // cannot finish first; the last kill waits for a checkpoint write after that round instead.
                long last = TOTAL - 3L * FREQUENCY;
                if (from + FREQUENCY > last) {
                    break;
                }
                long target = Math.min(last, from + (long) FREQUENCY * (1 + random.nextInt(3)));
                int delay = k == KILLS ? 0 : (int) (random.nextDouble() * roundSeconds * 1000);
                awaitGrid(driver, run.resolve("samples"), target);
                if (k == KILLS) {
                    awaitCheckpointWrite(driver, run.resolve("checkpoints"));
                } else {
                    Thread.sleep(delay);
                }
                assertTrue(driver.isAlive(), "the driver finished before its kill; log:\n" + driver.tail());
                driver.kill();
                assertFalse(Files.exists(run.resolve("checkpoints").resolve(Checkpoints.name(TOTAL))),
                        "the killed run had already finished");
                long reached = Math.max(from, lastGridSince(run.resolve("samples"), driver.started()));
                Attempt a = new Attempt(k, from, target, delay, reached, unfinished(run.resolve("checkpoints")));
                System.out.printf("%.1f s: kill %s%n", (System.nanoTime() - t0) / 1e9, a);
                attempts.add(a);
                previousFrom = from;
                previousReached = reached;
            }
        }
        assertEquals(KILLS, attempts.size(), "every kill landed during training");

        Map<String, Boolean> complete = completeness(run, reference);
        try (DriverJvm driver = DriverJvm.job(tmp, "local[2]", List.of("train", "--out", run.toString(), "--resume"),
                tmp.resolve("driver-final.log"))) {
            long from = resumedFrom(driver, complete, previousFrom, previousReached);
            assertEquals(ExitCodes.OK, driver.awaitExit(START), () -> "resumed run failed; log:\n" + driver.tailOrNote());
            System.out.printf("%.1f s: finished, resumed from step %d%n", (System.nanoTime() - t0) / 1e9, from);
        }

        TrainingRuns.assertSameAsUninterrupted(reference, run, TOTAL);
    }

    /** The typical round of the uninterrupted run, as long as a random moment within a round may be. */
    private static double medianRoundSeconds(Path run) throws IOException {
        double[] seconds = Files.readAllLines(run.resolve(RunDirectory.METRICS)).stream()
                .mapToDouble(l -> Json.parse(l, "metrics").get("round_seconds").asDouble()).sorted().toArray();
        return seconds[seconds.length / 2];
    }

    /**
     * The step the driver resumed from, after checking that it was a complete checkpoint (the same
     * bytes as the uninterrupted run's) when the driver started, no older than the previous
     * driver's start, and at most one checkpoint interval before the previous driver's last round.
     */
    private static long resumedFrom(DriverJvm driver, Map<String, Boolean> complete, long previousFrom,
                                    long previousReached) throws IOException, InterruptedException {
        Matcher m = driver.awaitLog(DriverJvm.TRAINING, START);
        long from = m.group(2) == null ? 0 : Long.parseLong(m.group(2).substring("step-".length()));
        if (m.group(2) != null) {
            assertEquals(Boolean.TRUE, complete.get(m.group(2)), "resumed from " + m.group(2)
                    + ", which was not a complete checkpoint; checkpoints then: " + complete);
        }
        assertTrue(from >= previousFrom, "resumed from step " + from + ", before the previous start " + previousFrom);
        assertTrue(from >= previousReached - CHECKPOINT_INTERVAL, "resumed from step " + from + " after a kill at step "
                + previousReached + ": more than one checkpoint interval (" + CHECKPOINT_INTERVAL + ") lost");
        return from;
    }

    /** Waits until this driver has written the grid of step {@code target} or a later one. */
    private static void awaitGrid(DriverJvm driver, Path samples, long target) throws Exception {
        driver.awaitWhileAlive(() -> lastGridSince(samples, driver.started()) >= target, START,
                "the grid of step " + target);
    }

    /** Waits, through inotify, until the driver starts writing a checkpoint, so that the kill lands in it. */
    private static void awaitCheckpointWrite(DriverJvm driver, Path checkpoints) throws Exception {
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            checkpoints.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            long deadline = System.nanoTime() + START.toNanos();
            while (System.nanoTime() < deadline && driver.isAlive()) {
                WatchKey key = watch.poll(10, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.context().toString().startsWith("._tmp-step-")) {
                        return;
                    }
                }
                key.reset();
            }
        }
        throw new AssertionError("no checkpoint write seen; log:\n" + driver.tail());
    }

    /** The largest step of a grid written since {@code since}, or −1. */
    private static long lastGridSince(Path samples, Instant since) {
        long last = -1;
        try (Stream<Path> files = Files.list(samples)) {
            for (Path p : files.toList()) {
                Matcher m = GRID.matcher(p.getFileName().toString());
                if (m.matches() && !Files.getLastModifiedTime(p).toInstant().isBefore(since)) {
                    last = Math.max(last, Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            // samples/ is created when training starts, or a grid was renamed away while listing.
        }
        return last;
    }

    /**
     * Each checkpoint directory of {@code run} and whether it is complete: a MANIFEST, and state and
     * sample noise byte for byte those of the uninterrupted run's checkpoint of the same step.
     */
    private static Map<String, Boolean> completeness(Path run, Path reference) throws IOException {
        Map<String, Boolean> complete = new TreeMap<>();
        Path dir = run.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return complete;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path cp : entries.filter(p -> p.getFileName().toString().matches("step-\\d+")).toList()) {
                Path ref = reference.resolve("checkpoints").resolve(cp.getFileName());
                boolean ok = Files.exists(cp.resolve(Manifest.NAME));
                for (String f : List.of(Checkpoints.STATE, Checkpoints.SAMPLE_NOISE)) {
                    ok &= Files.exists(cp.resolve(f)) && Arrays.equals(Files.readAllBytes(ref.resolve(f)),
                            Files.readAllBytes(cp.resolve(f)));
                }
                complete.put(cp.getFileName().toString(), ok);
            }
        }
        return complete;
    }

    private static List<String> unfinished(Path checkpoints) throws IOException {
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("._tmp-")).sorted().toList();
        }
    }
}
