package wgangp.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.distributed.RoundReport;
import wgangp.distributed.TrainingListener;
import wgangp.train.TrainingState;

/**
 * Keeps the run's {@code index.html} current: written at start, after every round that drew a
 * sample grid, after a round when {@code refreshMillis} have passed since the last write (so the
 * charts move on when grids are rare), and at the end. Registered after {@link MetricsLog} and
 * {@link SampleGrids}, so a write sees their output of the same round (metrics up to
 * MetricsLog's own flush delay).
 *
 * <p>A failed write (an I/O error) is reported and training goes on: the page is a view of the
 * other outputs, and the next write replaces it.
 */
public final class GalleryWriter implements TrainingListener {
    private final FileSystem fs;
    private final Path root;
    private final int sampleInterval;
    private final long refreshMillis;
    private final GalleryPage page = GalleryPage.load();
    private long totalSteps = -1;
    private long lastWrite;

    public GalleryWriter(FileSystem fs, Path root, int sampleInterval, long refreshMillis) {
        this.fs = fs;
        this.root = root;
        this.sampleInterval = sampleInterval;
        this.refreshMillis = refreshMillis;
    }

    @Override
    public void onStart(TrainingState state, long total) {
        totalSteps = total;
        write(state.generatorSteps());
    }

    @Override
    public void onRound(RoundReport r) {
        if (r.crossedMultipleOf(sampleInterval) || System.currentTimeMillis() - lastWrite >= refreshMillis) {
            write(r.generatorSteps());
        }
    }

    @Override
    public void onEnd(TrainingState state) {
        write(state.generatorSteps());
    }

    private void write(long step) {
        lastWrite = System.currentTimeMillis();
        try {
            page.write(fs, root, new GalleryModel.Progress(step, totalSteps));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("warning: " + new Path(root, GalleryPage.NAME) + " not updated at step " + step + ": "
                    + e.getMessage());
        }
    }
}
