package wgangp.io;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.train.TrainingState;

/**
 * Writes the files of a small run directory on any Hadoop file system with the writers training
 * uses (checkpoints, grids, the GIF) and the formats they produce (config, metrics, eval files),
 * without training: each method adds one kind of output.
 */
public final class RunFixture {
    public static final int NCRITIC = 5;
    private final FileSystem fs;
    private final RunDirectory run;

    private RunFixture(FileSystem fs, Path root) throws IOException {
        this.fs = fs;
        this.run = RunDirectory.at(fs.makeQualified(root).toString(), fs.getConf());
    }

    /** A run at {@code root} with config.json ({@code lr} and {@code seed} as given) and provenance.json. */
    public static RunFixture at(FileSystem fs, Path root, double lr, long seed) throws IOException {
        RunFixture f = new RunFixture(fs, root);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", "data/mnist");
        config.put("out", root.toString());
        config.put("batch", 16);
        config.put("lr", lr);
        config.put("nCritic", NCRITIC);
        config.put("lambdaGp", 10.0);
        config.put("latent", 16);
        config.put("generator.hidden", List.of(32, 64));
        config.put("critic.hidden", List.of(64, 32));
        config.put("workers", 2);
        config.put("seed", seed);
        f.run.writeText(RunDirectory.CONFIG, Json.pretty(config));
        f.run.writeText(RunDirectory.PROVENANCE, Json.pretty(Map.of("seed", seed, "image_rows", 28, "image_cols", 28)));
        return f;
    }

    public RunDirectory run() {
        return run;
    }

    /** metrics.jsonl with one line per round of {@code stepsPerRound} generator steps, {@code rounds} rounds. */
    public RunFixture metrics(int rounds, int stepsPerRound) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= rounds; i++) {
            long step = (long) i * stepsPerRound;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", step);
            line.put("critic_iters", NCRITIC * step);
            line.put("epoch", 0.01 * step);
            line.put("critic_loss", -1.0 / i);
            line.put("wasserstein_estimate", 2.0 / i);
            line.put("gradient_penalty", 0.1 / i);
            line.put("generator_loss", 0.5 * i);
            line.put("images_per_s", 1000.0);
            line.put("round_seconds", 0.5);
            line.put("sync_seconds", 0.1);
            lines.append(Json.line(line)).append('\n');
        }
        run.writeText(RunDirectory.METRICS, lines.toString());
        return this;
    }

    /** A 2×2 grid of 28×28 images per step, each a different shade, then progress.gif of them all. */
    public RunFixture grids(long... steps) throws IOException {
        for (long step : steps) {
            float[][] images = new float[4][28 * 28];
            for (float[] image : images) {
                java.util.Arrays.fill(image, (float) Math.tanh(step / 50.0 - 1));
            }
            AtomicFiles.write(fs, new Path(run.samples(), SampleGridFile.name(step / 100, step)),
                    ImageGrid.png(images, 28, 28, 2, 2, 2));
        }
        ProgressGif.write(fs, run.samples());
        return this;
    }

    /** A complete checkpoint of a small state at each step, {@code latest} naming the last. */
    public RunFixture checkpoints(long... steps) throws IOException {
        Checkpoints checkpoints = run.checkpoints();
        for (long step : steps) {
            float[] a = {step, 1, 2};
            TrainingState state = TrainingState.of(name -> a, step, NCRITIC * step);
            checkpoints.write(state, new float[] {0.5f, -0.5f}, 2, run.readText(RunDirectory.CONFIG),
                    run.readText(RunDirectory.PROVENANCE));
        }
        return this;
    }

    /** eval/{checkpoint}.json as the evaluate command writes it. */
    public RunFixture eval(String checkpoint, long generatorSteps, double fid) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("checkpoint", checkpoint);
        e.put("generator_steps", generatorSteps);
        e.put("critic_iters", NCRITIC * generatorSteps);
        e.put("samples", 1000);
        e.put("held_out", 1000);
        e.put("fid", fid);
        e.put("fid_floor", 1.2);
        e.put("class_histogram", List.of(100, 98, 102, 95, 105, 100, 99, 101, 97, 103));
        e.put("modes_covered", 10);
        e.put("mean_confidence", 0.93);
        e.put("classifier_accuracy", 0.985);
        e.put("seed", 1);
        AtomicFiles.writeText(fs, new Path(run.file(RunDirectory.EVAL), checkpoint + ".json"), Json.pretty(e));
        return this;
    }

    /** index.html as a gallery page would be written. */
    public RunFixture index() throws IOException {
        run.writeText(RunInfo.INDEX, "<!doctype html><title>run</title><img src=\"samples/progress.gif\">\n");
        return this;
    }
}
