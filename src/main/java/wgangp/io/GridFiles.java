package wgangp.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The sample grids {@code samples/{epoch}_{step}.png} of a run, by their names. */
public final class GridFiles {
    private static final Pattern NAME = Pattern.compile("(\\d+)_(\\d+)\\.png");

    /** One grid: its file name in {@code samples/}, the epoch and the generator step it was drawn at. */
    public record Grid(String name, long epoch, long step) {
    }

    private GridFiles() {
    }

    /** The grid file name for a step: {@code {epoch}_{step}.png}, zero-padded so names sort by step. */
    public static String name(long epoch, long step) {
        return String.format("%03d_%07d.png", epoch, step);
    }

    /** The grids in {@code samples}, in step order; {@link FileNotFoundException} when it does not exist. */
    public static List<Grid> list(FileSystem fs, Path samples) throws IOException {
        List<Grid> grids = new ArrayList<>();
        for (FileStatus s : fs.listStatus(samples)) {
            Matcher m = NAME.matcher(s.getPath().getName());
            if (s.isFile() && m.matches()) {
                grids.add(new Grid(s.getPath().getName(), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
            }
        }
        grids.sort(Comparator.comparingLong(Grid::step));
        return grids;
    }
}
