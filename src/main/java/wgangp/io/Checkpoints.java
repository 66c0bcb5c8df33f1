package wgangp.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import wgangp.train.TrainingState;

/**
 * The {@code checkpoints/} directory of a run. A checkpoint {@code step-NNNNNNN/} holds the full
 * training state, the fixed sample noise, the effective config and provenance; its files are
 * written into a temporary directory, the {@link Manifest} last, and the directory is then renamed
 * into place; {@code latest} is updated after that.
 *
 * <p>A checkpoint is complete when its manifest is there and lists every required file, and each
 * file matches its entry. Loading checks each file's size and SHA-256 and skips checkpoints that
 * fail; a listing ({@link #summarize}) checks only the sizes, which reads no file's content.
 */
public final class Checkpoints {
    public static final String STATE = "state.bin";
    public static final String SAMPLE_NOISE = "sample-noise.bin";
    public static final String CONFIG = "config.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String LATEST = "latest";
    static final List<String> REQUIRED = List.of(STATE, SAMPLE_NOISE, CONFIG, PROVENANCE);
    private static final Pattern NAME = Pattern.compile("step-\\d{7,}");

    /** A complete, verified checkpoint. {@code sampleNoise} is row-major [rows, latent]. */
    public record Checkpoint(String name, TrainingState state, float[] sampleNoise, String configJson,
                             String provenanceJson) {
    }

    private final FileSystem fs;
    private final Path dir;

    public Checkpoints(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public static String name(long generatorSteps) {
        return String.format(Locale.ROOT, "step-%07d", generatorSteps);
    }

    /** Writes a checkpoint of {@code state} and points {@code latest} at it; returns its name. */
    public String write(TrainingState state, float[] sampleNoise, int latent, String configJson,
                        String provenanceJson) throws IOException {
        String name = name(state.generatorSteps());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(STATE, StateCodec.encode(state));
        files.put(SAMPLE_NOISE, StateCodec.encodeMatrix(sampleNoise, sampleNoise.length / latent, latent));
        files.put(CONFIG, Manifest.utf8(configJson));
        files.put(PROVENANCE, Manifest.utf8(provenanceJson));
        Path tmp = new Path(dir, AtomicFiles.TEMP_PREFIX + name + "-" + UUID.randomUUID());
        Path target = new Path(dir, name);
        boolean renamed = false;
        try {
            fs.mkdirs(tmp);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                writeFile(new Path(tmp, f.getKey()), f.getValue());
            }
            writeFile(new Path(tmp, Manifest.NAME), Manifest.utf8(Manifest.of(files).text()));
            // A checkpoint of the same step can only be a leftover of an earlier attempt at this run.
            if (fs.exists(target) && !fs.delete(target, true)) {
                throw new IOException("cannot replace the old checkpoint " + target);
            }
            AtomicFiles.renameDirectory(fs, tmp, target);
            renamed = true;
        } finally {
            if (!renamed) {
                fs.delete(tmp, true);
            }
        }
        AtomicFiles.writeText(fs, new Path(dir, LATEST), name + "\n");
        return name;
    }

    /**
     * The checkpoint {@code latest} names if it is complete; otherwise the newest complete one;
     * empty when there is none.
     */
    public Optional<Checkpoint> loadLatest() throws IOException {
        String latest = RunDirectory.readText(fs, new Path(dir, LATEST));
        if (latest != null && NAME.matcher(latest.trim()).matches()) {
            Optional<Checkpoint> c = tryLoad(latest.trim());
            if (c.isPresent()) {
                return c;
            }
        }
        List<String> names = names();
        for (int i = names.size() - 1; i >= 0; i--) {
            Optional<Checkpoint> c = tryLoad(names.get(i));
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** The checkpoint {@code name} if its manifest verifies, else empty (with the reason on stderr). */
    public Optional<Checkpoint> tryLoad(String name) throws IOException {
        try {
            return Optional.of(load(name));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            System.err.println("warning: skipping checkpoint " + new Path(dir, name) + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Loads and verifies checkpoint {@code name}; throws when it is incomplete or torn. */
    public Checkpoint load(String name) throws IOException {
        Path cp = new Path(dir, name);
        Map<String, byte[]> files = new LinkedHashMap<>();
        verify(cp, Check.DIGESTS, files);
        TrainingState state = StateCodec.decodeState(files.get(STATE), cp + "/" + STATE);
        String configJson = new String(files.get(CONFIG), java.nio.charset.StandardCharsets.UTF_8);
        String provenanceJson = new String(files.get(PROVENANCE), java.nio.charset.StandardCharsets.UTF_8);
        int latent = latentColumns(files.get(SAMPLE_NOISE));
        float[] noise = StateCodec.decodeMatrix(files.get(SAMPLE_NOISE), latent, cp + "/" + SAMPLE_NOISE);
        return new Checkpoint(name, state, noise, configJson, provenanceJson);
    }

    /** What {@link #names} lists, each summarized, oldest first. */
    public List<CheckpointSummary> summaries() throws IOException {
        List<CheckpointSummary> all = new ArrayList<>();
        for (String name : names()) {
            all.add(summarize(name));
        }
        return all;
    }

    /** The name {@code latest} holds, or null when it is missing. */
    public String latestName() throws IOException {
        String latest = RunDirectory.readText(fs, new Path(dir, LATEST));
        return latest == null ? null : latest.trim();
    }

    /**
     * Checkpoint {@code name} summarized from its manifest, its files' sizes ({@link Check#SIZES})
     * and its state file's header; an incomplete or torn one gets counters of -1 unless its header
     * is readable.
     */
    public CheckpointSummary summarize(String name) throws IOException {
        Path cp = new Path(dir, name);
        long[] counters = {-1, -1};
        try (InputStream in = fs.open(new Path(cp, STATE))) {
            counters = StateCodec.decodeCounters(in.readNBytes(StateCodec.HEADER_BYTES), cp + "/" + STATE);
        } catch (IOException e) {
            // Reported below through the manifest check, which also covers a missing state file.
        }
        long bytes;
        try {
            bytes = verify(cp, Check.SIZES, null);
        } catch (IOException e) {
            return new CheckpointSummary(name, counters[0], counters[1], 0, e.getMessage());
        }
        if (counters[0] < 0) {
            return new CheckpointSummary(name, -1, -1, bytes, STATE + " has no readable header");
        }
        return new CheckpointSummary(name, counters[0], counters[1], bytes, null);
    }

    /** Names of the step directories present, complete or not, oldest first. */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return names;
        }
        for (FileStatus s : entries) {
            if (s.isDirectory() && NAME.matcher(s.getPath().getName()).matches()) {
                names.add(s.getPath().getName());
            }
        }
        names.sort(Comparator.comparingLong(n -> Long.parseLong(n.substring("step-".length()))));
        return names;
    }

    /** Deletes all but the newest {@code keep} checkpoints (0 keeps all), never the one {@code latest} names. */
    public void prune(int keep) throws IOException {
        if (keep <= 0) {
            return;
        }
        String latest = RunDirectory.readText(fs, new Path(dir, LATEST));
        List<String> names = names();
        for (int i = 0; i < names.size() - keep; i++) {
            if (latest == null || !latest.trim().equals(names.get(i))) {
                fs.delete(new Path(dir, names.get(i)), true);
            }
        }
    }

    /** How much of a checkpoint {@link #verify} reads; both check the one rule of completeness. */
    private enum Check {
        /** Each file's size against the manifest: no file's content is read. */
        SIZES,
        /** Each file's size and SHA-256 against the manifest: every byte is read. */
        DIGESTS
    }

    /**
     * Fails, with the reason, unless checkpoint {@code cp} is complete: its manifest is there and
     * lists every required file, and each file matches its entry as far as {@code check} looks.
     * With {@link Check#DIGESTS} the verified contents go into {@code contents}.
     *
     * @return the bytes of the required files together
     * @throws FileNotFoundException when there is no checkpoint {@code cp}
     */
    private long verify(Path cp, Check check, Map<String, byte[]> contents) throws IOException {
        String manifestText = RunDirectory.readText(fs, new Path(cp, Manifest.NAME));
        if (manifestText == null) {
            if (!fs.exists(cp)) {
                throw new FileNotFoundException(cp + " does not exist");
            }
            throw new IOException("it has no " + Manifest.NAME + "; it is incomplete");
        }
        Manifest manifest = Manifest.parse(manifestText, Manifest.NAME);
        long bytes = 0;
        for (String f : REQUIRED) {
            Path file = new Path(cp, f);
            try {
                if (check == Check.DIGESTS) {
                    byte[] content = readBytes(file);
                    manifest.verify(f, content, Manifest.NAME);
                    contents.put(f, content);
                    bytes += content.length;
                } else {
                    long size = fs.getFileStatus(file).getLen();
                    manifest.verifySize(f, size, Manifest.NAME);
                    bytes += size;
                }
            } catch (FileNotFoundException e) {
                throw new IOException(f + " is missing", e);
            }
        }
        return bytes;
    }

    private void writeFile(Path path, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(bytes);
            if (out.hasCapability(StreamCapabilities.HSYNC)) {
                out.hsync();
            }
        }
    }

    private byte[] readBytes(Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    /** The column count stored in a matrix file's header (after the 8-byte magic and the row count). */
    private static int latentColumns(byte[] matrix) throws IOException {
        if (matrix.length < 16) {
            throw new IOException(SAMPLE_NOISE + " is truncated");
        }
        return java.nio.ByteBuffer.wrap(matrix, 12, 4).getInt();
    }
}
