package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.data.Shard;
import wgangp.data.Shards;
import wgangp.io.Checkpoints;
import wgangp.train.LocalTrainer;
import wgangp.train.NativeThreads;
import wgangp.train.RoundSchedule;
import wgangp.train.Seeds;
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
     * without Spark: every replica's rounds by {@link LocalTrainer#runRound}, averaged element-wise
     * in double and rounded once, exactly the mean of the workers' states.
     */
    static TrainingState expected(JobConfig config, long totalSteps) {
        NativeThreads.set(1);
        IdxImages images = IdxReader.readImages(DATA + "/train-images-idx3-ubyte.gz", new Configuration());
        WganGpConfig model = config.model(images.pixelsPerImage());
        List<Shard> shards = Shards.split(images, config.workers(), Seeds.shards(config.seed()));
        TrainingState state = WganGpStep.initialState(model, config.seed());
        int steps;
        while ((steps = RoundSchedule.roundLength(state.generatorSteps(), totalSteps,
                config.averagingFrequency())) > 0) {
            List<TrainingState> replicas = new ArrayList<>();
            for (Shard shard : shards) {
                replicas.add(LocalTrainer.runRound(model, state, shard.matrix(), config.seed(),
                        state.generatorSteps(), shard.index(), steps).state());
            }
            state = mean(replicas);
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
}
