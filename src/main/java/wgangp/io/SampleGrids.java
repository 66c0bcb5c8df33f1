package wgangp.io;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.distributed.RoundReport;
import wgangp.distributed.TrainingListener;
import wgangp.train.SampleNoise;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;

/**
 * Writes a 5×5 grid of the generator's images for the run's fixed noise every
 * {@code sampleInterval} generator steps (after the first round that reaches a multiple of it) and
 * at the end, then {@code progress.gif} from all grids.
 */
public final class SampleGrids implements TrainingListener {
    public static final int GRID = 5;
    static final int PADDING = 2;

    private final FileSystem fs;
    private final Path samples;
    private final WganGpConfig config;
    private final float[] noise;
    private final int rows;
    private final int cols;
    private final int interval;
    private final EpochClock epochs;
    private long lastWritten = -1;

    /** Epoch of a critic-iteration count, for the file names. */
    public interface EpochClock {
        double epoch(long criticIters);
    }

    public SampleGrids(FileSystem fs, Path samples, WganGpConfig config, float[] noise, int rows, int cols,
                       int sampleInterval, EpochClock epochs) {
        this.fs = fs;
        this.samples = samples;
        this.config = config;
        this.noise = noise.clone();
        this.rows = rows;
        this.cols = cols;
        this.interval = sampleInterval;
        this.epochs = epochs;
    }

    @Override
    public void onStart(TrainingState state, long totalSteps) {
        lastWritten = state.generatorSteps();
    }

    @Override
    public void onRound(RoundReport r) throws IOException {
        if (r.crossedMultipleOf(interval)) {
            write(r.state());
        }
    }

    @Override
    public void onEnd(TrainingState state) throws IOException {
        if (state.generatorSteps() != lastWritten || !fs.exists(new Path(samples, name(state)))) {
            write(state);
        }
        ProgressGif.write(fs, samples);
    }

    /** Writes the grid of {@code state}; returns its path. */
    public Path write(TrainingState state) throws IOException {
        float[][] images = SampleNoise.images(config, state, noise);
        Path file = new Path(samples, name(state));
        AtomicFiles.write(fs, file, ImageGrid.png(images, rows, cols, GRID, GRID, PADDING));
        lastWritten = state.generatorSteps();
        return file;
    }

    private String name(TrainingState state) {
        return SampleGridFile.name((long) Math.floor(epochs.epoch(state.criticSteps())), state.generatorSteps());
    }
}
