package wgangp.io;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.train.SampleNoise;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;

/**
 * Writes a 5×5 grid of the generator's images for the run's fixed noise every
 * {@code sampleInterval} generator steps and at the end (see {@link PeriodicOutput}), then
 * {@code progress.gif} from all grids.
 */
public final class SampleGrids extends PeriodicOutput {
    public static final int GRID = 5;
    static final int PADDING = 2;

    private final FileSystem fs;
    private final Path samples;
    private final WganGpConfig config;
    private final float[] noise;
    private final int rows;
    private final int cols;
    private final EpochClock epochs;

    /** Epoch of a critic-iteration count, for the file names. */
    public interface EpochClock {
        double epoch(long criticIters);
    }

    public SampleGrids(FileSystem fs, Path samples, WganGpConfig config, float[] noise, int rows, int cols,
                       int sampleInterval, EpochClock epochs) {
        super(sampleInterval);
        this.fs = fs;
        this.samples = samples;
        this.config = config;
        this.noise = noise.clone();
        this.rows = rows;
        this.cols = cols;
        this.epochs = epochs;
    }

    /** The final grid, then the animation of all grids. */
    @Override
    public void onEnd(TrainingState state) throws IOException {
        super.onEnd(state);
        ProgressGif.write(fs, samples);
    }

    /** A grid is written atomically, so one that exists is whole. */
    @Override
    boolean exists(TrainingState state) throws IOException {
        return fs.exists(new Path(samples, name(state)));
    }

    @Override
    void write(TrainingState state) throws IOException {
        float[][] images = SampleNoise.images(config, state, noise);
        AtomicFiles.write(fs, new Path(samples, name(state)), ImageGrid.png(images, rows, cols, GRID, GRID, PADDING));
    }

    private String name(TrainingState state) {
        return SampleGridFile.name((long) Math.floor(epochs.epoch(state.criticSteps())), state.generatorSteps());
    }
}
