package wgangp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wgangp.data.IdxFixtures.gunzip;
import static wgangp.data.IdxFixtures.gzip;
import static wgangp.data.IdxFixtures.idx;
import static wgangp.data.IdxFixtures.images;
import static wgangp.data.IdxFixtures.labels;
import static wgangp.data.IdxFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.AccessControlException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdxReaderTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    @Test
    void readsBundledGzipTrainingSet() {
        Path imagesFile = IdxFixtures.BUNDLED.resolve("train-images-idx3-ubyte.gz");
        IdxImages images = IdxReader.readImages(imagesFile.toString(), CONF);
        IdxLabels labels = IdxReader.readLabels(IdxFixtures.BUNDLED.resolve("train-labels-idx1-ubyte.gz").toString(),
                CONF);

        assertEquals(9000, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.cols());
        assertEquals(784, images.pixelsPerImage());
        assertEquals(9000 * 784, images.pixels().length);
        assertTrue(images.source().startsWith("file:/"), images.source());
        assertTrue(images.source().endsWith("/data/mnist/train-images-idx3-ubyte.gz"), images.source());

        assertEquals(9000, labels.count());
        boolean[] seen = new boolean[10];
        for (int i = 0; i < labels.count(); i++) {
            int label = labels.label(i);
            assertTrue(label >= 0 && label <= 9, "label " + i + " is " + label);
            seen[label] = true;
        }
        for (int d = 0; d < 10; d++) {
            assertTrue(seen[d], "digit " + d + " never occurs");
        }
        IdxReader.checkSameCount(images, labels);

        // MNIST digits are white strokes on black: the corner is background, some pixel is full white.
        assertEquals(-1f, images.scaledPixel(0, 0));
        int max = 0;
        float maxScaled = -1f;
        for (int p = 0; p < images.pixelsPerImage(); p++) {
            max = Math.max(max, images.pixel(0, p));
            maxScaled = Math.max(maxScaled, images.scaledPixel(0, p));
        }
        assertEquals(255, max);
        assertEquals(1f, maxScaled);
    }

    @Test
    void rawCopyReadsTheSameAsTheGzipOriginal() throws IOException {
        Path gz = IdxFixtures.BUNDLED.resolve("train-images-idx3-ubyte.gz");
        Path raw = write(dir, "train-images-idx3-ubyte", gunzip(gz));

        IdxImages fromGzip = IdxReader.readImages(gz.toString(), CONF);
        IdxImages fromRaw = IdxReader.readImages(raw.toString(), CONF);
        IdxImages fromUri = IdxReader.readImages(raw.toUri().toString(), CONF);

        assertEquals(9000, fromRaw.count());
        assertArrayEquals(fromGzip.pixels(), fromRaw.pixels());
        assertArrayEquals(fromGzip.pixels(), fromUri.pixels());
    }

    @Test
    void recognisesGzipByContentWithoutTheSuffix() throws IOException {
        byte[] plain = images(3, 4, 5);
        Path file = write(dir, "images.idx", gzip(plain));

        IdxImages images = IdxReader.readImages(file.toString(), CONF);

        assertEquals(3, images.count());
        assertArrayEquals(Arrays.copyOfRange(plain, 16, plain.length), images.pixels());
    }

    @Test
    void scalesPixelsToMinusOneToOne() {
        IdxImages images = new IdxImages("x", 1, 1, 3, new byte[] {0, (byte) 255, (byte) 128});

        assertEquals(-1f, images.scaledPixel(0, 0));
        assertEquals(1f, images.scaledPixel(0, 1));
        assertEquals(128 / 127.5f - 1f, images.scaledPixel(0, 2), 1e-7);
        assertThrows(IndexOutOfBoundsException.class, () -> images.scaledPixel(1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> images.scaledPixel(0, 3));
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        Path file = write(dir, "train-images-idx3-ubyte", images(1, 2, 2));

        for (String uri : List.of(UnreadableFileSystem.withoutRead(file), UnreadableFileSystem.withoutStatus(file))) {
            InvalidDataException e = assertThrows(InvalidDataException.class, () -> IdxReader.readImages(uri, CONF));

            assertTrue(e.getMessage().startsWith("IDX file " + uri + " cannot be read (Permission denied"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("check that it is readable by the user running the job."),
                    e.getMessage());
            assertInstanceOf(AccessControlException.class, e.getCause());
        }
    }

    /** What a malformed case reads, and which files its error must name. */
    record Attempt(Executable read, List<Path> named) {
        static Attempt images(Path file) {
            return new Attempt(() -> IdxReader.readImages(file.toString(), CONF), List.of(file));
        }

        static Attempt labels(Path file) {
            return new Attempt(() -> IdxReader.readLabels(file.toString(), CONF), List.of(file));
        }
    }

    @FunctionalInterface
    interface Scenario {
        Attempt prepare(Path dir) throws IOException;
    }

    static Stream<Arguments> malformed() {
        byte[] valid = images(2, 28, 28);
        return Stream.of(
                malformed("label magic in an image file", "0x00000801",
                        d -> Attempt.images(write(d, "a", labels(3)))),
                malformed("unknown magic", "0x12345678",
                        d -> Attempt.images(write(d, "a", idx(0x12345678, new int[] {1, 1, 1}, new byte[1])))),
                malformed("image magic in a label file", "0x00000803",
                        d -> Attempt.labels(write(d, "a", images(1, 1, 1)))),
                malformed("header cut inside the magic", "truncated header",
                        d -> Attempt.images(write(d, "a", new byte[] {0, 0}))),
                malformed("header cut inside the sizes", "truncated header: 12 of the 16",
                        d -> Attempt.images(write(d, "a", Arrays.copyOf(valid, 12)))),
                malformed("pixels cut short", "needs 1568 bytes of data, but only 794 bytes were found",
                        d -> Attempt.images(write(d, "a", Arrays.copyOf(valid, 16 + 794)))),
                malformed("pixels cut short inside gzip", "needs 1568 bytes of data, but only 1000",
                        d -> Attempt.images(write(d, "a.gz", gzip(Arrays.copyOf(valid, 16 + 1000))))),
                malformed("labels cut short", "needs 10 bytes of data, but only 9",
                        d -> Attempt.labels(write(d, "a", Arrays.copyOf(labels(10), 17)))),
                malformed("trailing bytes after pixels", "has 3 extra bytes",
                        d -> Attempt.images(write(d, "a", Arrays.copyOf(valid, valid.length + 3)))),
                malformed("trailing bytes after labels", "has 1 extra bytes",
                        d -> Attempt.labels(write(d, "a", Arrays.copyOf(labels(4), 13)))),
                malformed("empty file", "is empty",
                        d -> Attempt.images(write(d, "a", new byte[0]))),
                malformed("gzip holding nothing", "is empty after decompression",
                        d -> Attempt.images(write(d, "a.gz", gzip(new byte[0])))),
                malformed("gzip cut in half", "is not a valid gzip stream",
                        d -> Attempt.images(write(d, "a.gz", half(gzip(valid))))),
                malformed("gzip with a wrong checksum", "is not a valid gzip stream",
                        d -> Attempt.images(write(d, "a.gz", badCrc(gzip(valid))))),
                malformed(".gz name but not gzip", "is not a valid gzip stream",
                        d -> Attempt.images(write(d, "a.gz", valid))),
                malformed("directory instead of file", "is a directory, expected an IDX file",
                        d -> Attempt.images(Files.createDirectory(d.resolve("train-images-idx3-ubyte")))),
                malformed("missing path", "does not exist",
                        d -> Attempt.images(d.resolve("nowhere").resolve("train-images-idx3-ubyte"))),
                malformed("zero rows", "declares images of 0x28 pixels",
                        d -> Attempt.images(write(d, "a", idx(IdxReader.IMAGES_MAGIC, new int[] {1, 0, 28},
                                new byte[0])))),
                malformed("zero columns", "declares images of 28x0 pixels",
                        d -> Attempt.images(write(d, "a", idx(IdxReader.IMAGES_MAGIC, new int[] {1, 28, 0},
                                new byte[0])))),
                malformed("zero images", "declares 0 images",
                        d -> Attempt.images(write(d, "a", idx(IdxReader.IMAGES_MAGIC, new int[] {0, 28, 28},
                                new byte[0])))),
                malformed("negative label count", "declares -1 labels",
                        d -> Attempt.labels(write(d, "a", idx(IdxReader.LABELS_MAGIC, new int[] {-1},
                                new byte[0])))),
                malformed("absurd image size", "more than the 65536",
                        d -> Attempt.images(write(d, "a", idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1024, 1024},
                                new byte[0])))),
                malformed("more data than an array holds", "more than one Java array can hold",
                        d -> Attempt.images(write(d, "a", idx(IdxReader.IMAGES_MAGIC,
                                new int[] {Integer.MAX_VALUE, 256, 256}, new byte[0])))),
                malformed("label count differs from image count", "holds 2 images but label file",
                        d -> {
                            Path imagesFile = write(d, "images", valid);
                            Path labelsFile = write(d, "labels", labels(3));
                            return new Attempt(() -> IdxReader.checkSameCount(
                                    IdxReader.readImages(imagesFile.toString(), CONF),
                                    IdxReader.readLabels(labelsFile.toString(), CONF)),
                                    List.of(imagesFile, labelsFile));
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputIsRejectedNamingTheFile(Scenario scenario, String expected) throws IOException {
        Attempt attempt = scenario.prepare(dir);

        InvalidDataException e = assertThrows(InvalidDataException.class, attempt.read());

        String message = e.getMessage();
        for (Path file : attempt.named()) {
            assertTrue(message.contains(file.toString()), "does not name " + file + ": " + message);
        }
        assertTrue(message.contains(expected), "does not say '" + expected + "': " + message);
        assertTrue(message.endsWith("."), "not a whole sentence: " + message);
    }

    private static Arguments malformed(String name, String expected, Scenario scenario) {
        return Arguments.of(Named.of(name, scenario), expected);
    }

    private static byte[] half(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    /** The gzip trailer ends with the CRC-32 and the length; break the CRC only. */
    private static byte[] badCrc(byte[] gz) {
        byte[] broken = gz.clone();
        broken[broken.length - 8] ^= 0x5a;
        return broken;
    }
}
