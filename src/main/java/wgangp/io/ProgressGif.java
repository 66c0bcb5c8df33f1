package wgangp.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** {@code samples/progress.gif}: the sample grids of a run, in step order, as one animation. */
public final class ProgressGif {
    public static final String NAME = "progress.gif";
    static final int FRAME_MILLIS = 200;
    private static final Pattern GRID = Pattern.compile("(\\d+)_(\\d+)\\.png");

    private ProgressGif() {
    }

    /** The grid file name for a step: {@code {epoch}_{step}.png}, zero-padded so names sort by step. */
    public static String gridName(long epoch, long step) {
        return String.format("%03d_%07d.png", epoch, step);
    }

    /** Writes {@code progress.gif} from the grids in {@code samples}; returns the number of frames. */
    public static int write(FileSystem fs, Path samples) throws IOException {
        List<FileStatus> grids = new ArrayList<>();
        FileStatus[] entries;
        try {
            entries = fs.listStatus(samples);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("there is no samples directory " + samples
                    + "; pass the run directory a train command writes to", e);
        }
        for (FileStatus s : entries) {
            if (s.isFile() && GRID.matcher(s.getPath().getName()).matches()) {
                grids.add(s);
            }
        }
        if (grids.isEmpty()) {
            throw new IllegalArgumentException(samples + " holds no sample grids yet; the first appears after"
                    + " sampleInterval generator steps");
        }
        grids.sort(Comparator.comparingLong(ProgressGif::step));
        List<byte[]> frames = new ArrayList<>(grids.size());
        for (FileStatus s : grids) {
            try (InputStream in = fs.open(s.getPath())) {
                frames.add(in.readAllBytes());
            }
        }
        AtomicFiles.write(fs, new Path(samples, NAME), AnimatedGif.fromPngs(frames, FRAME_MILLIS, true));
        return frames.size();
    }

    private static long step(FileStatus s) {
        Matcher m = GRID.matcher(s.getPath().getName());
        if (!m.matches()) {
            throw new IllegalStateException(s.getPath().toString());
        }
        return Long.parseLong(m.group(2));
    }
}
