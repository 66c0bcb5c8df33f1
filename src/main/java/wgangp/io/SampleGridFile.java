package wgangp.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** One sample grid of a run, {@code samples/{epoch}_{step}.png}, with what its name and size say. */
public record SampleGridFile(Path path, long epoch, long step, long bytes) {
    private static final Pattern NAME = Pattern.compile("(\\d+)_(\\d+)\\.png");

    public String name() {
        return path.getName();
    }

    /** The grid file name for a step: {@code {epoch}_{step}.png}, zero-padded so names sort by step. */
    public static String name(long epoch, long step) {
        return String.format(Locale.ROOT, "%03d_%07d.png", epoch, step);
    }

    /** The grid a file is, or empty when its name is not a grid's. */
    public static Optional<SampleGridFile> of(FileStatus s) {
        Matcher m = NAME.matcher(s.getPath().getName());
        if (!s.isFile() || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SampleGridFile(s.getPath(), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                s.getLen()));
    }

    /** The grids in {@code samples}, in step order; empty when the directory does not exist. */
    public static List<SampleGridFile> list(FileSystem fs, Path samples) throws IOException {
        List<SampleGridFile> grids = new ArrayList<>();
        FileStatus[] entries;
        try {
            entries = fs.listStatus(samples);
        } catch (FileNotFoundException e) {
            return grids;
        }
        for (FileStatus s : entries) {
            of(s).ifPresent(grids::add);
        }
        grids.sort(Comparator.comparingLong(SampleGridFile::step));
        return grids;
    }
}
