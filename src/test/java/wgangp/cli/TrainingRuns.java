package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.data.Shard;
import wgangp.data.Shards;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.io.RunDirectory;
import wgangp.job.JobConfig;
import wgangp.train.LocalTrainer;
import wgangp.train.NativeThreads;
import wgangp.train.RoundSchedule;
import wgangp.distributed.Parallelism;
import wgangp.distributed.SynchronousReplicas;
import wgangp.train.Seeds;
import wgangp.train.States;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;
import wgangp.train.WganGpStep;

/** Small, fast training runs on the bundled data, and what they must produce, for the Spark tests. */
final class TrainingRuns {
    static final String DATA = "data/mnist";
    /** A small model so that a run takes seconds; everything else is the reference setup. */
    static final List<String> SMALL = List.of("--data", DATA, "--set", "latent=16", "--set", "generator.hidden=32,64",
            "--set", "critic.hidden=64,32", "--batch", "16", "--seed", "7");

    private TrainingRuns() {
    }

    static String[] args(String out, String... extra) {
        List<String> a = new ArrayList<>();
        a.add("train");
        a.addAll(SMALL);
        a.add("--out");
        a.add(out);
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    static JobConfig config(Map<String, String> overrides) {
        Map<String, String> base = JobConfig.defaults();
        base.putAll(Map.of("data", DATA, "latent", "16", "generator.hidden", "32,64", "critic.hidden", "64,32",
                "batch", "16", "seed", "7"));
        return JobConfig.fromMap(base, overrides, "test");
    }

    static Checkpoints.Checkpoint latest(String out, Configuration conf) throws IOException {
        Path dir = new Path(out, "checkpoints");
        FileSystem fs = dir.getFileSystem(conf);
        return new Checkpoints(fs, fs.makeQualified(dir)).loadLatest().orElseThrow();
    }

    /**
     * What a Spark run of {@code config} for {@code totalSteps} must end with, computed here
     * without Spark. Synchronous (two or more workers): every segment by
     * {@link SynchronousReplicas#segment}, the replicas in threads adding their gradients through
     * the same collective. Parameter averaging: every replica's rounds by {@link LocalTrainer#runRound},
     * averaged element-wise in double and rounded once, exactly the mean of the workers' states,
     * then the outer step (none with one worker).
     */
    static TrainingState expected(JobConfig config, long totalSteps) throws Exception {
        NativeThreads.set(1);
        IdxImages images = IdxReader.readImages(DATA + "/train-images-idx3-ubyte.gz", new Configuration());
        WganGpConfig model = config.model(images.pixelsPerImage());
        List<Shard> shards = Shards.split(images, config.workers(), Seeds.shards(config.seed()));
        TrainingState state = WganGpStep.initialState(model, config.seed());
        boolean synchronous = config.workers() > 1 && config.parallelism() == Parallelism.SYNCHRONOUS;
        int length = synchronous ? config.segmentSteps() : config.averagingFrequency();
        int steps;
        while ((steps = RoundSchedule.roundLength(state.generatorSteps(), totalSteps, length)) > 0) {
            if (synchronous) {
                state = SynchronousReplicas.segment(model, state, shards, config.seed(), steps, config.batchNormSync());
                continue;
            }
            List<TrainingState> replicas = new ArrayList<>();
            for (Shard shard : shards) {
                replicas.add(LocalTrainer.runRound(model, state, shard.matrix(), config.seed(),
                        state.generatorSteps(), shard.index(), steps).state());
            }
            state = config.workers() == 1 ? replicas.get(0) : config.outerOptimizer().step(state, mean(replicas));
        }
        return state;
    }

    static TrainingState mean(List<TrainingState> replicas) {
        TrainingState first = replicas.get(0);
        for (TrainingState r : replicas) {
            assertEquals(first.generatorSteps(), r.generatorSteps());
        }
        return TrainingState.of(name -> {
            float[] out = new float[first.get(name).length];
            for (int i = 0; i < out.length; i++) {
                double sum = 0;
                for (TrainingState r : replicas) {
                    sum += r.get(name)[i];
                }
                out[i] = (float) (sum / replicas.size());
            }
            return out;
        }, first.generatorSteps(), first.criticSteps());
    }

    /**
     * {@code run} ends exactly where the uninterrupted {@code reference} run ended, at step
     * {@code total}: the same weights and sample noise byte for byte, the same sample grids, the
     * same losses in metrics.jsonl, and no temporary file of an interrupted write left.
     */
    static void assertSameAsUninterrupted(java.nio.file.Path reference, java.nio.file.Path run, long total)
            throws IOException {
        String last = Checkpoints.name(total);
        assertEquals(last, Files.readString(run.resolve("checkpoints/latest")).trim());
        for (String f : List.of(Checkpoints.STATE, Checkpoints.SAMPLE_NOISE)) {
            assertArrayEquals(Files.readAllBytes(reference.resolve("checkpoints").resolve(last).resolve(f)),
                    Files.readAllBytes(run.resolve("checkpoints").resolve(last).resolve(f)), f);
        }
        assertTrue(States.sameValues(latest(reference.toString(), new Configuration()).state(),
                latest(run.toString(), new Configuration()).state()));
        Map<String, byte[]> referenceSamples = files(reference.resolve("samples"));
        Map<String, byte[]> samples = files(run.resolve("samples"));
        assertEquals(referenceSamples.keySet(), samples.keySet());
        referenceSamples.forEach((name, bytes) -> assertArrayEquals(bytes, samples.get(name), name));
        assertEquals(lossesByStep(reference), lossesByStep(run), "metrics.jsonl lines (losses by step)");
        assertEquals(List.of(), leftovers(run), "temporary files of interrupted writes");
    }

    /** The names of the temporary files and directories of unfinished writes under {@code run}. */
    static List<String> leftovers(java.nio.file.Path run) throws IOException {
        try (Stream<java.nio.file.Path> walk = Files.walk(run)) {
            return walk.map(p -> run.relativize(p).toString()).filter(n -> n.contains("._tmp-")).sorted().toList();
        }
    }

    private static Map<String, byte[]> files(java.nio.file.Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<java.nio.file.Path> entries = Files.list(dir)) {
            for (java.nio.file.Path p : entries.filter(Files::isRegularFile).toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    /** metrics.jsonl without the timing fields, which differ from run to run. */
    static List<String> lossesByStep(java.nio.file.Path run) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunDirectory.METRICS))) {
            JsonNode n = Json.parse(line, "metrics");
            lines.add(n.get("step") + " " + n.get("critic_iters") + " " + n.get("epoch") + " " + n.get("critic_loss")
                    + " " + n.get("wasserstein_estimate") + " " + n.get("gradient_penalty") + " "
                    + n.get("generator_loss"));
        }
        return lines;
    }
}
