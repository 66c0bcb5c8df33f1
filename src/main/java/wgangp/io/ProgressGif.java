package wgangp.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** {@code samples/progress.gif}: the sample grids of a run, in step order, as one animation. */
public final class ProgressGif {
    public static final String NAME = "progress.gif";
    static final int FRAME_MILLIS = 200;

    private ProgressGif() {
    }

    /** Writes {@code progress.gif} from the grids in {@code samples}; returns the number of frames. */
    public static int write(FileSystem fs, Path samples) throws IOException {
        if (!fs.exists(samples)) {
            throw new IllegalArgumentException("there is no samples directory " + samples
                    + "; pass the run directory a train command writes to");
        }
        List<SampleGridFile> grids = SampleGridFile.list(fs, samples);
        if (grids.isEmpty()) {
            throw new IllegalArgumentException(samples + " holds no sample grids yet; the first appears after"
                    + " sampleInterval generator steps");
        }
        List<byte[]> frames = new ArrayList<>(grids.size());
        for (SampleGridFile grid : grids) {
            try (InputStream in = fs.open(grid.path())) {
                frames.add(in.readAllBytes());
            }
        }
        AtomicFiles.write(fs, new Path(samples, NAME), AnimatedGif.fromPngs(frames, FRAME_MILLIS, true));
        return frames.size();
    }
}
