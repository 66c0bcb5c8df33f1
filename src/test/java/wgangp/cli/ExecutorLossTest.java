package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.io.RunDirectory;
import wgangp.io.StateCodec;
import wgangp.job.JobConfig;

/**
 * An executor JVM killed with SIGKILL while it computes a round on {@code local-cluster[2,1,1024]}:
 * Spark reruns the lost task (from the cached shard's lineage and the round's broadcast) and the
 * job must end with exactly the weights of a run without the fault. The moment in the round comes
 * from a seeded random generator ({@code -Dwgangp.faults.seed=N}) and is printed; Spark's log must
 * show the lost executor and the lost task, so the kill cannot miss and the test still pass. A kill
 * that lands just after its executor finished its part of the round loses no task; the next round
 * then gets another kill (of the relaunched executor or the other one), until one loses a task.
 */
@Tag("integration")
class ExecutorLossTest {
    private static final long SEED = Long.getLong("wgangp.faults.seed", 20_250_611L);
    /**
     * Generator steps per round: enough that computing dominates a round (about 1 s of the small
     * model's arithmetic against 0.3-0.5 s of broadcast and aggregation on local-cluster), so that
     * a kill early in a round finds its executor in a task rather than between tasks.
     */
    private static final int ROUND = 120;
    private static final int ROUNDS = 7;
    private static final Pattern LOST_TASK =
            Pattern.compile("(?s).*Lost task \\S+ in stage .*ExecutorLostFailure.*");
    private static final Duration LIMIT = Duration.ofSeconds(240);

    @TempDir
    Path tmp;

    @Test
    void aKilledExecutorsTaskIsRetriedAndTheWeightsAreThoseOfAFaultFreeRun() throws Exception {
        Path sparkHome = SparkSubmitProcess.sparkHome(tmp.resolve("spark-home"));
        Path appJar = SparkSubmitProcess.classesJar(tmp.resolve("app.jar"));
        Path out = tmp.resolve("run");
        String log4j = "-Dlog4j2.configurationFile=" + Path.of("target/test-classes/log4j2-test.properties")
                .toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("-Xmx1g", log4j, "-cp", sparkHome.resolve("jars") + "/*",
                "org.apache.spark.deploy.SparkSubmit",
                "--master", "local-cluster[2,1,1024]",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.local.dir=" + Files.createDirectories(tmp.resolve("spark-local")),
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
                "--conf", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=1g " + log4j,
                // Both executors are up before the shards are cached, so each runs one replica.
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                // Spark's default, stated: a task may fail 3 times (here once, with its executor).
                "--conf", "spark.task.maxFailures=4",
                "--class", "WganGpJob", appJar.toString()));
        cmd.addAll(List.of(TrainingRuns.args(out.toString(), "--workers", "2", "--segment-steps", "" + ROUND,
                "--max-critic-iters", "" + ROUND * ROUNDS * 5, "--sample-interval", "" + ROUND,
                "--checkpoint-interval", "1000")));
        Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.12",
                "OMP_NUM_THREADS", "1");
        Random random = new Random(SEED);
        long t0 = System.nanoTime();

        String killed;
        try (DriverJvm driver = DriverJvm.start(DriverJvm.java(cmd), env, tmp.resolve("driver.log"))) {
            driver.awaitLog(DriverJvm.TRAINING, LIMIT);
            System.out.printf("%.1f s: driver up%n", (System.nanoTime() - t0) / 1e9);
            String appId = Json.parse(Files.readString(out.resolve(RunDirectory.PROVENANCE)), "provenance")
                    .get("spark_application_id").asText();
            // The first round also waits for the executors to start; the second shows how long a round takes.
            driver.awaitWhileAlive(() -> grid(out, ROUND), LIMIT, "round 1");
            long firstEnded = System.nanoTime();
            System.out.printf("%.1f s: round 1 over%n", (firstEnded - t0) / 1e9);
            driver.awaitWhileAlive(() -> grid(out, 2L * ROUND), LIMIT, "round 2");
            double roundSeconds = (System.nanoTime() - firstEnded) / 1e9;

            // A random moment early in a later round, while both replicas compute: kill a busy executor.
            killed = null;
            boolean taskLost = false;
            for (int round = 3; round <= ROUNDS && !taskLost; round++) {
                int previous = round - 1;
                driver.awaitWhileAlive(() -> grid(out, (long) ROUND * previous), LIMIT, "round " + previous);
                long roundStarted = System.nanoTime();
                long delay = (long) (roundSeconds * 1000 * (0.1 + 0.3 * random.nextDouble()));
                Thread.sleep(delay);
                List<ProcessHandle> executors = awaitExecutors(driver, appId);
                assertEquals(2, executors.size(), () -> "executor JVMs of " + appId + " among the driver's children "
                        + driver.process().descendants().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                        .toList() + "; log:\n" + tail(driver));
                List<ProcessHandle> busy = busiest(executors);
                if (grid(out, (long) ROUND * round)) {
                    continue;
                }
                ProcessHandle victim = busy.get(random.nextInt(busy.size()));
                assertTrue(victim.isAlive() && driver.isAlive());
                victim.destroyForcibly();
                long killedAfter = (System.nanoTime() - roundStarted) / 1_000_000;
                victim.onExit().get(30, TimeUnit.SECONDS);
                assertFalse(Files.exists(out.resolve("checkpoints/latest")), "the job had finished");
                killed = (killed == null ? "" : killed + "; then ") + "executor pid " + victim.pid() + " in round "
                        + round + ", " + killedAfter + " ms after round " + previous + " ended (round 2 took "
                        + Math.round(roundSeconds * 1000) + " ms)";
                System.out.printf("%.1f s: killed %s%n", (System.nanoTime() - t0) / 1e9, killed);
                int current = round;
                driver.awaitWhileAlive(() -> grid(out, (long) ROUND * current), LIMIT, "round " + current);
                taskLost = LOST_TASK.matcher(driver.log()).matches();
            }
            assertTrue(killed != null, "every round ended before its kill; log:\n" + driver.tail());
            assertEquals(ExitCodes.OK, driver.awaitExit(LIMIT), () -> "the job failed; log:\n" + tail(driver));
            String log = driver.log();
            System.out.printf("%.1f s: job finished; Spark's account of the loss:%n", (System.nanoTime() - t0) / 1e9);
            log.lines().filter(l -> l.contains("Lost ")).forEach(System.out::println);
            // Spark saw the executor go and reran the task it was running.
            assertTrue(log.contains("Lost executor"), () -> "no lost executor in the log:\n" + tail(driver));
            assertTrue(LOST_TASK.matcher(log).matches(),
                    () -> "no lost task in the log:\n" + tail(driver));
        }

        Checkpoints.Checkpoint last = TrainingRuns.latest(out.toString(), new Configuration());
        assertEquals(ROUND * ROUNDS, last.state().generatorSteps());
        assertEquals(ROUNDS, Files.readAllLines(out.resolve(RunDirectory.METRICS)).size());
        JobConfig config = TrainingRuns.config(Map.of("workers", "2", "segmentSteps", "" + ROUND));
        assertArrayEquals(StateCodec.encode(TrainingRuns.expected(config, (long) ROUND * ROUNDS)),
                StateCodec.encode(last.state()), "final state after " + killed);
        System.out.printf("%.1f s: fault-free run computed and compared%n", (System.nanoTime() - t0) / 1e9);
    }

    /** The executor JVMs of this application once both are up (a killed one is relaunched), or what there is after a minute. */
    private static List<ProcessHandle> awaitExecutors(DriverJvm driver, String appId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        List<ProcessHandle> executors = executors(driver, appId);
        while (executors.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            executors = executors(driver, appId);
        }
        return executors;
    }

    /** The driver's executor JVMs of this application (a local-cluster master launches them as its children). */
    private static List<ProcessHandle> executors(DriverJvm driver, String appId) {
        return driver.process().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
                        && c.contains(" " + appId + " ")).orElse(false))
                .toList();
    }

    /** The executors that use at least half the CPU time of the busiest one over 200 ms: those running a task. */
    private static List<ProcessHandle> busiest(List<ProcessHandle> executors) throws InterruptedException {
        long[] before = executors.stream().mapToLong(ExecutorLossTest::cpuNanos).toArray();
        Thread.sleep(200);
        long[] used = new long[executors.size()];
        long most = 0;
        for (int i = 0; i < used.length; i++) {
            used[i] = cpuNanos(executors.get(i)) - before[i];
            most = Math.max(most, used[i]);
        }
        List<ProcessHandle> busy = new ArrayList<>();
        for (int i = 0; i < used.length; i++) {
            if (2 * used[i] >= most) {
                busy.add(executors.get(i));
            }
        }
        return busy;
    }

    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Whether the driver has written the grid of {@code step}, i.e. the round ending there is over. */
    private static boolean grid(Path out, long step) {
        try (var files = Files.list(out.resolve(RunDirectory.SAMPLES))) {
            String suffix = String.format("_%07d.png", step);
            return files.anyMatch(p -> p.getFileName().toString().endsWith(suffix)
                    && !p.getFileName().toString().startsWith("."));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String tail(DriverJvm driver) {
        try {
            return driver.tail();
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
