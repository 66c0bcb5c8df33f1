package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.job.ConfigSources;
import wgangp.job.JobConfig;
import wgangp.train.States;
import wgangp.train.TrainingState;
import wgangp.train.WganGpStep;

/** The train command end to end on {@code local[2]}, in this JVM. */
@Tag("integration")
@ExtendWith(LocalSparkMaster.class)
class LocalSparkTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void twoWorkersWriteEveryOutputAndAverageTheirStates() throws Exception {
        String out = tmp.resolve("run").toString();
        // 12 generator steps in rounds of 4: grids at 4, 8, 12; checkpoints at 8 and 12.
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(out, "--workers", "2", "--parallelism", "averaging",
                "--averaging-frequency", "4", "--max-critic-iters", "60", "--sample-interval", "4",
                "--checkpoint-interval", "8")));

        Path run = Path.of(out);
        assertEquals(List.of("000_0000004.png", "000_0000008.png", "000_0000012.png"), pngs(run.resolve("samples")));
        assertEquals(3, gifFrames(run.resolve("samples/progress.gif")));
        assertEquals("step-0000012", Files.readString(run.resolve("checkpoints/latest")).trim());
        assertTrue(Files.exists(run.resolve("checkpoints/step-0000008/MANIFEST")));
        assertTrue(Files.exists(run.resolve("checkpoints/step-0000012/MANIFEST")));

        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, metrics.size());
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode line = Json.parse(metrics.get(i), "metrics");
            assertEquals(4L * (i + 1), line.get("step").asLong());
            assertEquals(20L * (i + 1), line.get("critic_iters").asLong());
            for (String field : List.of("epoch", "critic_loss", "wasserstein_estimate", "gradient_penalty",
                    "generator_loss", "images_per_s", "round_seconds", "sync_seconds")) {
                assertTrue(line.get(field).isNumber() && Double.isFinite(line.get(field).asDouble()),
                        field + " in " + metrics.get(i));
            }
            assertPhasesAddUpToTheRound(line);
        }
        JobConfig saved = JobConfig.fromMap(ConfigSources.json(Files.readString(run.resolve("config.json")),
                "config.json"), Map.of(), "config.json");
        assertEquals(2, saved.workers());
        JsonNode provenance = Json.parse(Files.readString(run.resolve("checkpoints/step-0000012/provenance.json")), "p");
        assertEquals(9000, provenance.get("images").asInt());
        assertEquals(7, provenance.get("seed").asLong());
        // The defaults double the rate for more than one worker.
        assertEquals(2 * saved.lr(), provenance.get("replica_learning_rate").asDouble());
        assertTrue(provenance.get("spark_application_id").asText().startsWith("local-"));
        assertFalse(provenance.get("git_sha").asText().isEmpty());

        Checkpoints.Checkpoint last = TrainingRuns.latest(out, new Configuration());
        JobConfig config = TrainingRuns.config(Map.of("workers", "2", "parallelism", "averaging",
                "averagingFrequency", "4"));
        TrainingState initial = WganGpStep.initialState(config.model(784), config.seed());
        assertFalse(java.util.Arrays.equals(initial.generatorParams(), last.state().generatorParams()),
                "generator weights changed");
        assertEquals(12, last.state().generatorSteps());
        assertEquals(60, last.state().criticSteps());
        // The averaged state is exactly the mean of the two workers' LocalTrainer results, round after round.
        assertTrue(States.sameValues(TrainingRuns.expected(config, 12), last.state()));
    }

    @Test
    void oneWorkerIsTheLocalLoopBitForBit() throws Exception {
        String out = tmp.resolve("one").toString();
        // 7 steps in rounds of 3: the last round is cut short.
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(out, "--workers", "1", "--averaging-frequency", "3",
                "--max-critic-iters", "35", "--sample-interval", "100")));
        JobConfig config = TrainingRuns.config(Map.of("workers", "1", "averagingFrequency", "3"));
        TrainingState local = wgangp.train.LocalTrainer.train(config.model(784),
                WganGpStep.initialState(config.model(784), config.seed()),
                wgangp.data.Shards.split(wgangp.data.IdxReader.readImages(TrainingRuns.DATA
                        + "/train-images-idx3-ubyte.gz", new Configuration()), 1,
                        wgangp.train.Seeds.shards(config.seed())).get(0).matrix(),
                config.seed(), 3, 7);
        TrainingState spark = TrainingRuns.latest(out, new Configuration()).state();
        assertEquals(7, spark.generatorSteps());
        assertArrayEquals(wgangp.io.StateCodec.encode(local), wgangp.io.StateCodec.encode(spark));
    }

    @Test
    void theDeviceEngineTrainsOnSparkAsItDoesLocally() throws Exception {
        String out = tmp.resolve("device").toString();
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(out, "--workers", "1", "--averaging-frequency", "3",
                "--max-critic-iters", "30", "--sample-interval", "100", "--set", "engine=device")));
        JobConfig saved = JobConfig.fromMap(ConfigSources.json(Files.readString(Path.of(out, "config.json")),
                "config.json"), Map.of(), "config.json");
        assertEquals(wgangp.model.Engine.DEVICE, saved.engine());
        for (String line : Files.readAllLines(Path.of(out, "metrics.jsonl"))) {
            JsonNode metrics = Json.parse(line, "metrics");
            for (String field : List.of("critic_loss", "wasserstein_estimate", "gradient_penalty", "generator_loss")) {
                assertTrue(Double.isFinite(metrics.get(field).asDouble()), field + " in " + line);
            }
        }
        JobConfig config = TrainingRuns.config(Map.of("workers", "1", "averagingFrequency", "3", "engine", "device"));
        TrainingState spark = TrainingRuns.latest(out, new Configuration()).state();
        assertEquals(6, spark.generatorSteps());
        assertTrue(States.sameValues(TrainingRuns.expected(config, 6), spark),
                "the Spark task ran the device engine's loop");
    }

    @Test
    void resumingEndsWithTheWeightsOfAnUninterruptedRun() throws Exception {
        String whole = tmp.resolve("whole").toString();
        String split = tmp.resolve("split").toString();
        // With the outer optimizer on, whose momentum must come back from the checkpoint.
        String[] common = {"--workers", "2", "--parallelism", "averaging", "--averaging-frequency", "4",
            "--sample-interval", "4",
            "--checkpoint-interval", "100", "--set", "outer.lr=0.8", "--set", "outer.momentum=0.6"};
        assertEquals(ExitCodes.OK, Main.run(concat(TrainingRuns.args(whole, common), "--max-critic-iters", "60")));
        assertEquals(ExitCodes.OK, Main.run(concat(TrainingRuns.args(split, common), "--max-critic-iters", "40")));
        assertEquals("step-0000008", TrainingRuns.latest(split, new Configuration()).name());
        // Resume from the run directory alone: the config comes from the checkpoint.
        assertEquals(ExitCodes.OK, Main.run("train", "--out", split, "--resume", "--max-critic-iters", "60"));

        Checkpoints.Checkpoint a = TrainingRuns.latest(whole, new Configuration());
        Checkpoints.Checkpoint b = TrainingRuns.latest(split, new Configuration());
        assertEquals("step-0000012", b.name());
        assertArrayEquals(wgangp.io.StateCodec.encode(a.state()), wgangp.io.StateCodec.encode(b.state()));
        assertArrayEquals(a.sampleNoise(), b.sampleNoise());
        assertArrayEquals(Files.readAllBytes(Path.of(whole, "samples/000_0000012.png")),
                Files.readAllBytes(Path.of(split, "samples/000_0000012.png")));
        List<Long> steps = Files.readAllLines(Path.of(split, "metrics.jsonl")).stream()
                .map(l -> Json.parse(l, "m").get("step").asLong()).toList();
        assertEquals(List.of(4L, 8L, 12L), steps);
        assertEquals(a.state().generatorParams().length,
                b.state().get(TrainingState.Array.GENERATOR_OUTER_MOMENTUM).length, "the outer momentum is kept");
        JobConfig config = TrainingRuns.config(Map.of("workers", "2", "parallelism", "averaging",
                "averagingFrequency", "4", "outer.lr", "0.8", "outer.momentum", "0.6"));
        assertTrue(States.sameValues(TrainingRuns.expected(config, 12), b.state()), "the mean moved by the outer step");

        // A resumed run may not change how it trains.
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("train", "--out", split, "--resume", "--workers", "3"));
    }

    /**
     * Two synchronous workers, the default: one model trained on both shards' batches, exactly as
     * the same replicas in threads compute it; each metrics line carries the time in the allreduce
     * and the noise scales.
     */
    @Test
    void twoSynchronousWorkersTrainOneModelOnBothShards() throws Exception {
        String out = tmp.resolve("sync").toString();
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(out, "--workers", "2", "--segment-steps", "4",
                "--max-critic-iters", "40", "--sample-interval", "4")));
        Checkpoints.Checkpoint last = TrainingRuns.latest(out, new Configuration());
        JobConfig config = TrainingRuns.config(Map.of("workers", "2", "segmentSteps", "4"));
        assertTrue(States.sameValues(TrainingRuns.expected(config, 8), last.state()));
        List<String> metrics = Files.readAllLines(Path.of(out, "metrics.jsonl"));
        assertEquals(2, metrics.size());
        for (String line : metrics) {
            JsonNode m = Json.parse(line, "metrics");
            assertTrue(m.get("allreduce_s").asDouble() > 0, line);
            assertTrue(m.get("allreduce_s").asDouble() < m.get("round_seconds").asDouble(), line);
            assertTrue(Double.isFinite(m.get("noise_scale_critic").asDouble()), line);
            assertTrue(Double.isFinite(m.get("noise_scale_generator").asDouble()), line);
            assertPhasesAddUpToTheRound(m);
        }
    }

    @Test
    void anExistingRunIsRefusedUntouchedAndOverwrittenOnRequest() throws Exception {
        String out = tmp.resolve("run").toString();
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(out, "--max-critic-iters", "10", "--workers", "2")));
        Map<String, String> before = snapshot(Path.of(out));
        assertEquals(ExitCodes.RUN_DIRECTORY_EXISTS, Main.run(TrainingRuns.args(out, "--max-critic-iters", "10")));
        assertEquals(before, snapshot(Path.of(out)));

        Files.writeString(Path.of(out, "stale.txt"), "old");
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(out, "--max-critic-iters", "10", "--overwrite")));
        assertFalse(Files.exists(Path.of(out, "stale.txt")));
        assertTrue(Files.exists(Path.of(out, "checkpoints/latest")));
    }

    @Test
    void divergenceStopsWithExitOneAndWritesNothingOfTheBadRound() throws Exception {
        String out = tmp.resolve("nan").toString();
        assertEquals(ExitCodes.CHECK_FAILED, Main.run(TrainingRuns.args(out, "--lr", "1e30",
                "--max-critic-iters", "200", "--segment-steps", "2", "--workers", "2")));
        assertFalse(Files.exists(Path.of(out, "checkpoints/latest")));
        if (Files.exists(Path.of(out, "metrics.jsonl"))) {
            for (String line : Files.readAllLines(Path.of(out, "metrics.jsonl"))) {
                assertFalse(line.contains("NaN") || line.contains("Infinity"), line);
            }
        }
    }

    /** The round's phases are all there, none negative, and together no longer than the round. */
    static void assertPhasesAddUpToTheRound(JsonNode line) {
        double sum = 0;
        for (String phase : List.of("broadcast_s", "task_launch_s", "setup_s", "compute_s", "result_s",
                "aggregate_s", "average_s", "outer_s")) {
            JsonNode value = line.get(phase);
            assertTrue(value != null && value.isNumber() && value.asDouble() >= 0, phase + " in " + line);
            sum += value.asDouble();
        }
        assertTrue(line.get("compute_s").asDouble() > 0, "compute_s in " + line);
        // Each field is rounded to 1e-4 s on its own.
        assertTrue(sum <= line.get("round_seconds").asDouble() + 8 * 5e-5, "phases sum to " + sum + " in " + line);
    }

    static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    static List<String> pngs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
    }

    static int gifFrames(Path gif) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            return reader.getNumImages(true);
        }
    }

    /** Every file under {@code root} with its size and modification time. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                files.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return files;
    }
}
