package wgangp.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's outputs on any Hadoop FileSystem, the same layout on file:// and hdfs://:
 * <pre>
 *   RUN/config.json, provenance.json    effective config; where it came from
 *   RUN/metrics.jsonl                   one line per round
 *   RUN/samples/{epoch}_{step}.png      5×5 grids from one fixed z; samples/progress.gif
 *   RUN/checkpoints/step-NNNNNNN/       state.bin, sample-noise.bin, config.json, provenance.json, MANIFEST
 *   RUN/checkpoints/latest              name of the newest complete checkpoint
 *   RUN/eval/step-NNNNNNN.json          evaluate's results, one per checkpoint
 *   RUN/driver.lock                     which driver owns the run while it trains ({@link RunLock})
 * </pre>
 */
public final class RunDirectory {
    public static final String CONFIG = "config.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String SAMPLES = "samples";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String EVAL = "eval";
    public static final String LOCK = "driver.lock";

    private final FileSystem fs;
    private final Path root;

    private RunDirectory(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /** The run directory at {@code uri}, qualified against the default file system. */
    public static RunDirectory at(String uri, Configuration conf) throws IOException {
        Path path;
        try {
            path = new Path(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("out=" + uri + " is not a valid path or URI: " + e.getMessage(), e);
        }
        FileSystem fs = path.getFileSystem(conf);
        return new RunDirectory(fs, fs.makeQualified(path));
    }

    public FileSystem fs() {
        return fs;
    }

    public Path root() {
        return root;
    }

    public Path file(String name) {
        return new Path(root, name);
    }

    public Path samples() {
        return new Path(root, SAMPLES);
    }

    public Checkpoints checkpoints() {
        return new Checkpoints(fs, new Path(root, CHECKPOINTS));
    }

    /** True when the directory exists and holds anything at all. */
    public boolean existsNonEmpty() throws IOException {
        try {
            FileStatus status = fs.getFileStatus(root);
            if (!status.isDirectory()) {
                return true;
            }
            return fs.listStatus(root).length > 0;
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    /**
     * True when the directory holds something a run writes first ({@code config.json},
     * {@code checkpoints/}, or the lock a driver takes before anything else); --overwrite deletes
     * only such directories, never an arbitrary one.
     */
    public boolean looksLikeRun() throws IOException {
        return fs.exists(file(CONFIG)) || fs.exists(file(CHECKPOINTS)) || fs.exists(file(LOCK));
    }

    /**
     * The run directories directly inside this one (those that {@link #looksLikeRun}), by name;
     * hidden names (a leading {@code .} or {@code _}, as temporary files have) are skipped.
     */
    public List<RunDirectory> childRuns() throws IOException {
        List<RunDirectory> runs = new ArrayList<>();
        for (FileStatus s : fs.listStatus(root)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) {
                RunDirectory child = new RunDirectory(fs, s.getPath());
                if (child.looksLikeRun()) {
                    runs.add(child);
                }
            }
        }
        runs.sort(Comparator.comparing(r -> r.root().getName()));
        return runs;
    }

    /**
     * Creates the directory and its sub-directories; with {@code clear}, deletes whatever was there
     * first except the {@link #LOCK}, which is the caller's.
     */
    public void prepare(boolean clear) throws IOException {
        if (clear && fs.exists(root)) {
            for (FileStatus s : fs.listStatus(root)) {
                if (!s.getPath().getName().equals(LOCK) && !fs.delete(s.getPath(), true)) {
                    throw new IOException("cannot delete " + s.getPath() + " for --overwrite");
                }
            }
        }
        if (!fs.mkdirs(samples()) || !fs.mkdirs(new Path(root, CHECKPOINTS))) {
            throw new IOException("cannot create the run directory " + root);
        }
    }

    /**
     * Deletes the temporary files and checkpoint directories ({@link AtomicFiles#TEMP_PREFIX}) that
     * a driver killed while writing left in the run directory, {@code samples/} and
     * {@code checkpoints/}; returns what was deleted. Nothing reads them, but an unfinished
     * checkpoint is as large as a complete one. Only call this while no other driver writes here.
     */
    public List<Path> removeUnfinishedWrites() throws IOException {
        List<Path> removed = new ArrayList<>();
        for (Path dir : List.of(root, samples(), new Path(root, CHECKPOINTS))) {
            FileStatus[] entries;
            try {
                entries = fs.listStatus(dir);
            } catch (FileNotFoundException e) {
                continue;
            }
            for (FileStatus s : entries) {
                if (s.getPath().getName().startsWith(AtomicFiles.TEMP_PREFIX)) {
                    if (!fs.delete(s.getPath(), true)) {
                        throw new IOException("cannot delete " + s.getPath() + ", left by an interrupted write");
                    }
                    removed.add(s.getPath());
                }
            }
        }
        return removed;
    }

    public void writeText(String name, String text) throws IOException {
        AtomicFiles.writeText(fs, file(name), text);
    }

    /** The file's text, or null when it does not exist. */
    public String readText(String name) throws IOException {
        return readText(fs, file(name));
    }

    static String readText(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
