package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wgangp.data.IdxFixtures.IMAGES_MAGIC;
import static wgangp.data.IdxFixtures.LABELS_MAGIC;
import static wgangp.data.IdxFixtures.gzip;
import static wgangp.data.IdxFixtures.idx;
import static wgangp.data.IdxFixtures.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgangp.data.UnreadableFileSystem;
import wgangp.job.JobConfig;

/**
 * {@code train} through the real entry point, {@link Main#run}, with malformed data and
 * configuration. Every case must end with the documented exit code, one line on stderr naming the
 * offending file or configuration key, and nothing written into the run directory given with
 * {@code --out}.
 *
 * <p>All of these are rejected before the SparkContext starts (the config is validated in
 * {@code TrainCommand.resolve}, the data is read and checked right after the run-directory check
 * and before {@code new JavaSparkContext}), so this is a fast unit test, not tagged integration.
 *
 * <p>"An image size the model cannot take": the networks' input and output sizes follow the data
 * ({@code JobConfig.model(images.pixelsPerImage())}), so 20x20 or even 1x1 images are legitimate
 * and train. What no model can take is a header declaring zero rows or columns, zero images, or
 * more than {@code IdxReader.MAX_PIXELS_PER_IMAGE} (65,536) pixels per image; those are the cases
 * here, and they are input-data errors (exit 3).
 */
class MalformedInputTest {
    private static final String IMAGES = "train-images-idx3-ubyte";
    private static final String LABELS = "train-labels-idx1-ubyte";
    /** The small model of {@link TrainingRuns#SMALL}, without its --data. */
    private static final List<String> SMALL_MODEL = List.of("--set", "latent=16", "--set", "generator.hidden=32,64",
            "--set", "critic.hidden=64,32", "--set", "batch=16", "--seed", "7");

    @TempDir
    Path tmp;

    /** What one case needs: the data and files it writes under {@code in}, and its extra arguments. */
    @FunctionalInterface
    interface Setup {
        Invocation prepare(Path in, Path out) throws IOException;
    }

    /**
     * @param data    the --data value, or null for the bundled data
     * @param extra   further options
     * @param names   text the one stderr line must contain: the offending file or key
     * @param preexisting whether --out exists before the call (and so must be left unchanged)
     */
    record Invocation(String data, List<String> extra, String names, boolean preexisting) {
        static Invocation data(Path data, Path named) {
            return new Invocation(data.toString(), List.of(), named.toString(), false);
        }

        static Invocation config(String names, String... extra) {
            return new Invocation(null, List.of(extra), names, false);
        }
    }

    @BeforeAll
    static void initialiseLogging() throws IOException {
        // The first local FileSystem use may log a one-time library warning (native Hadoop code);
        // that belongs to the JVM's start, not to the error report under test.
        FileSystem.getLocal(new Configuration());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // --- IDX image file --------------------------------------------------------------
                c("wrong magic (a label file's)", 3, (in, out) -> {
                    Path f = write(in, IMAGES, idx(LABELS_MAGIC, new int[] {10}, new byte[10]));
                    return Invocation.data(f, f);
                }),
                c("wrong magic (random)", 3, (in, out) -> {
                    Path f = write(in, IMAGES, idx(0x12345678, new int[] {4, 28, 28}, new byte[4 * 784]));
                    return Invocation.data(f, f);
                }),
                c("truncated header", 3, (in, out) -> {
                    Path f = write(in, IMAGES, Arrays.copyOf(images(4, 28, 28), 10));
                    return Invocation.data(f, f);
                }),
                c("truncated pixels", 3, (in, out) -> {
                    byte[] whole = images(40, 28, 28);
                    Path f = write(in, IMAGES, Arrays.copyOf(whole, whole.length - 100));
                    return Invocation.data(f, f);
                }),
                c("extra bytes after the pixels", 3, (in, out) -> {
                    byte[] whole = images(40, 28, 28);
                    Path f = write(in, IMAGES, Arrays.copyOf(whole, whole.length + 7));
                    return Invocation.data(f, f);
                }),
                c("label count differs from image count (labels beside the images)", 3, (in, out) -> {
                    write(in, IMAGES, images(40, 28, 28));
                    Path labels = write(in, LABELS, idx(LABELS_MAGIC, new int[] {39}, new byte[39]));
                    return Invocation.data(in, labels);
                }),
                c("label file beside the images is truncated", 3, (in, out) -> {
                    Path f = write(in, IMAGES, images(40, 28, 28));
                    Path labels = write(in, LABELS, Arrays.copyOf(idx(LABELS_MAGIC, new int[] {40}, new byte[40]), 30));
                    return Invocation.data(f, labels);
                }),
                c("zero images", 3, (in, out) -> {
                    Path f = write(in, IMAGES, images(0, 28, 28));
                    return Invocation.data(f, f);
                }),
                c("image size no model can take: 0 rows", 3, (in, out) -> {
                    Path f = write(in, IMAGES, idx(IMAGES_MAGIC, new int[] {4, 0, 28}, new byte[0]));
                    return Invocation.data(f, f);
                }),
                c("image size no model can take: 257x256 > 65536 pixels", 3, (in, out) -> {
                    Path f = write(in, IMAGES, idx(IMAGES_MAGIC, new int[] {4, 257, 256}, new byte[16]));
                    return Invocation.data(f, f);
                }),
                c("empty file", 3, (in, out) -> {
                    Path f = write(in, IMAGES, new byte[0]);
                    return Invocation.data(f, f);
                }),
                c("empty after decompression", 3, (in, out) -> {
                    Path f = write(in, IMAGES + ".gz", gzip(new byte[0]));
                    return Invocation.data(f, f);
                }),
                c("corrupt gzip (garbage after the gzip header)", 3, (in, out) -> {
                    byte[] gz = gzip(images(40, 28, 28));
                    for (int i = 20; i < 60; i++) {
                        gz[i] = (byte) 0xff;
                    }
                    Path f = write(in, IMAGES + ".gz", gz);
                    return Invocation.data(f, f);
                }),
                c("gzip cut short", 3, (in, out) -> {
                    byte[] gz = gzip(images(40, 28, 28));
                    Path f = write(in, IMAGES + ".gz", Arrays.copyOf(gz, gz.length / 2));
                    return Invocation.data(f, f);
                }),
                c("gzip with a bad CRC", 3, (in, out) -> {
                    byte[] gz = gzip(images(40, 28, 28));
                    gz[gz.length - 8] ^= 0x01;
                    Path f = write(in, IMAGES + ".gz", gz);
                    return Invocation.data(f, f);
                }),
                c("directory where the image file is expected", 3, (in, out) -> {
                    Files.createDirectories(in.resolve(IMAGES));
                    return Invocation.data(in, in);
                }),
                c("directory named like the image file, passed as --data", 3, (in, out) -> {
                    Path d = Files.createDirectories(in.resolve(IMAGES));
                    return Invocation.data(d, d);
                }),
                c("directory where the --conf file is expected", 2, (in, out) -> {
                    Path conf = Files.createDirectories(in.resolve("conf.properties"));
                    return new Invocation(null, List.of("--conf", conf.toString()), conf.toString(), false);
                }),
                c("missing path", 3, (in, out) -> {
                    Path f = in.resolve("no-such-dir");
                    return Invocation.data(f, f);
                }),
                c("unreadable file", 3, (in, out) -> {
                    Path f = write(in, IMAGES, images(40, 28, 28));
                    String data = UnreadableFileSystem.withoutRead(f);
                    return new Invocation(data, List.of(), "IDX file " + data + " cannot be read", false);
                }),
                c("data location whose status cannot be read", 3, (in, out) -> {
                    write(in, IMAGES, images(40, 28, 28));
                    String data = UnreadableFileSystem.withoutStatus(in);
                    return new Invocation(data, List.of(), "Training data location " + data + " cannot be read",
                            false);
                }),
                // --- configuration ---------------------------------------------------------------
                c("lr = 0", 2, (in, out) -> Invocation.config("lr", "--lr", "0")),
                c("lr < 0", 2, (in, out) -> Invocation.config("lr", "--set", "lr=-0.001")),
                c("nCritic = 0", 2, (in, out) -> Invocation.config("nCritic", "--n-critic", "0")),
                c("lambdaGp < 0", 2, (in, out) -> Invocation.config("lambdaGp", "--lambda-gp", "-1")),
                c("workers = 0", 2, (in, out) -> Invocation.config("workers", "--workers", "0")),
                c("batch not a number", 2, (in, out) -> Invocation.config("batch", "--set", "batch=sixteen")),
                c("batch larger than a shard", 2, (in, out) -> {
                    // 40 images over 2 workers: shards of 20 images; batch 32 is more than one holds.
                    Path f = write(in, IMAGES, images(40, 28, 28));
                    return new Invocation(f.toString(), List.of("--workers", "2", "--batch", "32"), "batch", false);
                }),
                c("more workers than images", 2, (in, out) -> {
                    Path f = write(in, IMAGES, images(3, 28, 28));
                    return new Invocation(f.toString(), List.of("--workers", "4", "--batch", "2"), "workers", false);
                }),
                c("unknown key via --set", 2, (in, out) -> Invocation.config("learningRate", "--set", "learningRate=0.1")),
                c("unknown key via --conf", 2, (in, out) -> {
                    Path conf = in.resolve("my.properties");
                    Files.writeString(conf, "batch=16\nlearning.rate=0.1\n");
                    return new Invocation(null, List.of("--conf", conf.toString()), "'learning.rate' in " + conf,
                            false);
                }),
                c("bad value via --conf", 2, (in, out) -> {
                    Path conf = in.resolve("my.properties");
                    Files.writeString(conf, "nCritic=0\n");
                    return new Invocation(null, List.of("--conf", conf.toString()), "nCritic", false);
                }),
                c("missing --conf file", 2, (in, out) -> {
                    Path conf = in.resolve("missing.properties");
                    return new Invocation(null, List.of("--conf", conf.toString()), conf.toString(), false);
                }),
                // --- run directory ---------------------------------------------------------------
                c("existing non-empty run directory", 4, (in, out) -> {
                    Files.createDirectories(out.resolve("samples"));
                    Files.writeString(out.resolve("keep.txt"), "mine");
                    Files.writeString(out.resolve("samples/a.png"), "not a png");
                    return new Invocation(null, List.of(), out.toString(), true);
                }),
                c("existing empty run directory, bad data: left empty", 3, (in, out) -> {
                    Files.createDirectories(out);
                    Path f = write(in, IMAGES, Arrays.copyOf(images(4, 28, 28), 10));
                    return new Invocation(f.toString(), List.of(), f.toString(), true);
                }));
    }

    @ParameterizedTest(name = "{0} -> exit {1}")
    @MethodSource("cases")
    void isRejectedWithOneLineAndNothingWritten(String name, int expectedExit, Setup setup) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("run");
        Invocation inv = setup.prepare(in, out);
        Map<String, String> before = inv.preexisting() ? snapshot(out) : null;

        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString(), "--data",
                inv.data() != null ? inv.data() : TrainingRuns.DATA));
        args.addAll(SMALL_MODEL);
        args.addAll(inv.extra());
        String[] argv = args.toArray(String[]::new);

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        long start = System.nanoTime();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = Main.run(argv);
        } finally {
            System.setErr(original);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        String stderr = captured.toString(StandardCharsets.UTF_8);
        original.printf("[%s] exit %d in %.0f ms: %s", name, exit, ms, stderr.isEmpty() ? "\n" : stderr);

        assertEquals(expectedExit, exit, () -> name + ": stderr was: " + stderr);
        List<String> lines = stderr.strip().lines().toList();
        assertEquals(1, lines.size(), () -> name + ": expected one line on stderr, got: " + stderr);
        String line = lines.get(0);
        String message = line.startsWith("error: ") ? line.substring("error: ".length()) : line;
        assertFalse(message.isBlank(), name);
        assertTrue(message.contains(inv.names()), () -> name + ": '" + line + "' does not name " + inv.names());
        if (before == null) {
            assertFalse(Files.exists(out), () -> name + ": " + out + " was created");
        } else {
            assertEquals(before, snapshot(out), () -> name + ": " + out + " was changed");
        }
    }

    private static Arguments c(String name, int exit, Setup setup) {
        return Arguments.of(name, exit, setup);
    }

    /** Every path under {@code dir} with its content and modification time. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String content = Files.isRegularFile(p) ? Files.readString(p) : "<dir>";
                m.put(dir.relativize(p).toString(), content + " @" + Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
